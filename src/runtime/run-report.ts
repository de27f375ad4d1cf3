import path from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { appendErrorReport, errorReportPath } from "./error-report.js";
import { ExitCode } from "./exit-codes.js";
import { redactorOf, type Logger } from "./logger.js";
import { Redactor } from "./redactor.js";

/** One record that could not be processed. */
export interface Failure {
  barcode?: string;
  institution?: string;
  /** What the record is when it has no barcode: a request id, a resource URI, a file name. */
  record?: string;
  /** The step that failed: "create item", "cancel source request". */
  step?: string;
  message: string;
}

/** A write that --dry-run would have made. */
export interface PlannedWrite {
  action: string;
  target: string;
  detail?: unknown;
}

/** What a job did: written as JSON next to the CSV report and printed with --json. */
export interface RunSummary {
  job: string;
  institution?: string;
  dryRun: boolean;
  started: string;
  finished?: string;
  counts: Record<string, number>;
  failures: Failure[];
  planned?: PlannedWrite[];
  aborted?: string;
  /** Anything else worth keeping: API budget left, checkpoint, files processed. */
  details: Record<string, unknown>;
  csvReport?: string;
  summaryFile?: string;
}

export interface RunReportOptions {
  job: string;
  institution?: string;
  /** Seed 001 §13: `{ReportName}_log_{yyyyMMdd}.csv`. */
  reportName: string;
  reportFolder: string;
  dryRun?: boolean;
  logger: Logger;
  /** Masks secrets in what reaches the CSV report and the JSON summary; default: the logger's redactor. */
  redactor?: Redactor;
  now?: () => Date;
}

/** Collects one run's counts and failures; failures reach the CSV report the moment they happen. */
export class RunReport {
  readonly summary: RunSummary;
  readonly #options: RunReportOptions;
  readonly #redactor: Redactor;
  #writes: Promise<void> = Promise.resolve();

  constructor(options: RunReportOptions) {
    this.#options = options;
    this.#redactor = options.redactor ?? redactorOf(options.logger) ?? new Redactor();
    const now = options.now ?? (() => new Date());
    this.summary = {
      job: options.job,
      ...(options.institution ? { institution: options.institution } : {}),
      dryRun: options.dryRun ?? false,
      started: now().toISOString(),
      counts: {},
      failures: [],
      details: {},
      csvReport: errorReportPath(options.reportFolder, options.reportName, now()),
    };
    if (options.dryRun) this.summary.planned = [];
  }

  count(outcome: string, by = 1): void {
    this.summary.counts[outcome] = (this.summary.counts[outcome] ?? 0) + by;
  }

  /**
   * Records a failure, logs it at warn and appends it to the CSV report; secrets in it are masked. A dry run's
   * lines start with "dry run:": staff reading the day's report must not take them for what happened.
   */
  fail(failure: Failure): void {
    const entry = this.#redactor.value({ institution: this.#options.institution, ...failure }) as Failure;
    this.summary.failures.push(entry);
    this.count("failed");
    const what = entry.barcode ?? entry.record ?? "";
    this.#options.logger.warn(
      `${entry.step ? `${entry.step} failed` : "failed"}${what ? ` for ${what}` : ""}: ${entry.message}`,
    );
    const file = this.summary.csvReport!;
    this.#writes = this.#writes.then(() =>
      appendErrorReport(file, {
        barcode: entry.barcode ?? entry.record ?? "",
        institution: entry.institution ?? "",
        message: `${this.summary.dryRun ? "dry run: " : ""}${entry.step ? `${entry.step}: ` : ""}${entry.message}`,
      }).catch((error: Error) => {
        this.#options.logger.error(`cannot write the CSV report ${file}: ${error.message}`);
      }),
    );
  }

  plan(write: PlannedWrite): void {
    this.summary.planned?.push(this.#redactor.value(write) as PlannedWrite);
    this.count(`would ${write.action}`);
  }

  abort(reason: string): void {
    this.summary.aborted = this.#redactor.text(reason);
  }

  detail(key: string, value: unknown): void {
    this.summary.details[key] = this.#redactor.field(key, value);
  }

  /** Stamps the end, waits for the CSV lines, writes the JSON summary; returns the summary. */
  async finish(): Promise<RunSummary> {
    const now = this.#options.now ?? (() => new Date());
    this.summary.finished = now().toISOString();
    await this.#writes;
    // Milliseconds and the pid: two runs of one job in the same second (webhook-driven) keep their own files.
    const stamp = `${this.summary.started.replace(/[-:]/g, "").replace(/\.(\d+)Z$/, ".$1Z")}-${process.pid}`;
    const file = path.join(
      this.#options.reportFolder,
      `${this.#options.job}${this.#options.institution ? `_${this.#options.institution}` : ""}_${stamp}.summary.json`,
    );
    this.summary.summaryFile = file;
    try {
      await writeFileAtomic(file, JSON.stringify(this.summary, null, 2) + "\n");
    } catch (error) {
      this.#options.logger.error(`cannot write the run summary ${file}: ${(error as Error).message}`);
    }
    return this.summary;
  }
}

/** 3 aborted, 1 some records failed, 0 done. */
export function exitCodeFor(summary: RunSummary): ExitCode {
  if (summary.aborted) return ExitCode.Aborted;
  if (summary.failures.length > 0) return ExitCode.SomeFailed;
  return ExitCode.Done;
}
