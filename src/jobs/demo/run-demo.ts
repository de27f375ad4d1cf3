import { writeFile } from "node:fs/promises";
import path from "node:path";
import { closeLogger, type LogLevel } from "../../runtime/logger.js";
import { AB, CD, SCF, startSandbox, type Sandbox } from "../../sandbox/consortium/index.js";
import { expectThat, formatStep, seconds, type StepAccount, type StepOutcome } from "./account.js";
import { alephItemsStep } from "./step-aleph-items.js";
import { aspace2almaStep } from "./step-aspace2alma.js";
import { sendRequestsStep } from "./step-send-requests.js";
import { syncItemsStep } from "./step-sync-items.js";
import { webhooksStep } from "./step-webhooks.js";
import { demoWorld, type DemoWorld } from "./world.js";

export interface DemoOptions {
  /** The sandbox's folder: file server, state, reports, logs. Kept after the run. */
  dir: string;
  /** Where the account goes (stdout). */
  write: (text: string) => void;
  /** What the jobs' log shows on the terminal (the log file gets info and above). */
  logLevel?: LogLevel;
  portBase?: number;
  signal?: AbortSignal;
  /** Changes the world before the jobs run (tests: a missing file, a refused key). */
  prepare?: (sandbox: Sandbox) => Promise<void> | void;
}

export interface DemoResult {
  ok: boolean;
  /** Every check that did not hold, named. */
  failed: string[];
  steps: StepAccount[];
  durationMs: number;
}

/** The configuration the demo ran with, in the sandbox's folder. */
export const CONFIG_NAME = "alma-rs.json";

interface Step {
  title: string;
  /** When it runs in production: the seeds' schedule, as in crontab.example. */
  when: string;
  run: (world: DemoWorld) => Promise<StepOutcome>;
}

/** The seeds' schedule: the barcode report by 01:00, the export at 02:30, publishing, requests, webhooks, Aleph. */
const STEPS: readonly Step[] = [
  { title: "aspace2alma", when: "02:30, Sunday to Friday", run: aspace2almaStep },
  {
    title: `sync-items ${AB}`,
    when: "05:15, or when AB's publishing job ends",
    run: (w) => syncItemsStep(w, AB),
  },
  {
    title: `sync-items ${CD}`,
    when: "05:45, or when CD's publishing job ends",
    run: (w) => syncItemsStep(w, CD),
  },
  {
    title: `send-requests ${AB}`,
    when: "08:10 and 14:10, or when AB's request export ends",
    run: (w) => sendRequestsStep(w, AB),
  },
  {
    title: `send-requests ${CD}`,
    when: "08:20 and 14:20, or when CD's request export ends",
    run: (w) => sendRequestsStep(w, CD),
  },
  { title: "webhooks through the listener", when: "as Alma sends them", run: webhooksStep },
  { title: "aleph-items", when: "hourly at :05", run: alephItemsStep },
];

/**
 * `alma-rs demo`: starts the sandbox in this process, runs every job against it in the order of the seeds'
 * schedule through the same functions the commands call, and prints what each did and whether the simulators'
 * state shows what it should.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const { write } = options;
  const signal = options.signal ?? new AbortController().signal;
  write("alma-rs demo: a small consortium on 127.0.0.1, and every job run against it\n\n");
  const sandbox = await startSandbox({
    dir: options.dir,
    ...(options.portBase !== undefined ? { portBase: options.portBase } : {}),
  });
  let world: DemoWorld;
  try {
    // Kept with the sandbox, so the runs can be read again with the settings they had (it holds keys: owner only).
    await writeFile(path.join(sandbox.dir, CONFIG_NAME), JSON.stringify(sandbox.config, null, 2) + "\n", {
      mode: 0o600,
    });
    world = demoWorld(sandbox, { logLevel: options.logLevel ?? "warn", signal });
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  const steps: StepAccount[] = [];
  try {
    await options.prepare?.(sandbox);
    write(describeWorld(world));
    for (const [index, step] of STEPS.entries()) {
      if (signal.aborted) break;
      const stepStarted = Date.now();
      let outcome: StepOutcome;
      try {
        outcome = await step.run(world);
      } catch (error) {
        world.logger.error(`demo: ${step.title}: ${(error as Error).stack ?? String(error)}`);
        outcome = {
          lines: [],
          checks: [expectThat(`${step.title} ran`, false, (error as Error).message)],
          summaries: [],
        };
      }
      const account: StepAccount = {
        title: step.title,
        when: step.when,
        durationMs: Date.now() - stepStarted,
        ...outcome,
      };
      steps.push(account);
      write(formatStep(index + 1, account));
    }
  } finally {
    await closeLogger(world.logger);
    await sandbox.stop();
  }
  const failed = steps.flatMap((step) =>
    step.checks.filter((check) => !check.ok).map((check) => `${step.title}: ${check.what}`),
  );
  if (signal.aborted) failed.push(`interrupted after ${steps.length} of ${STEPS.length} steps`);
  const durationMs = Date.now() - started;
  write(closing(world, steps, failed, durationMs));
  return { ok: failed.length === 0, failed, steps, durationMs };
}

function describeWorld(world: DemoWorld): string {
  const { sandbox } = world;
  const { endpoints } = sandbox;
  return [
    `Alma            ${endpoints.almaGateway}  SCF ${SCF}, members ${AB} and ${CD}`,
    `SFTP            ${endpoints.sftp.host}:${endpoints.sftp.port}  serving ${sandbox.sftp.root}`,
    `ArchivesSpace   ${endpoints.aspace.baseUrl}`,
    `Aleph           ${endpoints.alephItemsUrl}`,
    `CaiaSoft        ${endpoints.caiasoft.baseUrl}`,
    `waiting on the file server: ${Object.values(sandbox.seeded.publishing).flat().length} publishing files, ` +
      `${Object.values(sandbox.seeded.requests).flat().length} request exports, the Analytics barcode report`,
    "",
    "",
  ].join("\n");
}

function closing(world: DemoWorld, steps: StepAccount[], failed: string[], durationMs: number): string {
  const checks = steps.flatMap((step) => step.checks);
  const lines = [
    `reports (CSV of failed records, a JSON summary per run): ${world.config.report_file_folder}`,
    `logs (JSON lines, secrets masked): ${world.config.log.folder}`,
    `the whole sandbox (file server, spool, checkpoints): ${world.sandbox.dir}`,
    `the configuration it ran with: ${path.join(world.sandbox.dir, CONFIG_NAME)}`,
    "",
  ];
  if (failed.length === 0) {
    lines.push(`demo finished in ${seconds(durationMs)}: all ${checks.length} checks passed.`);
  } else {
    lines.push(
      `demo finished in ${seconds(durationMs)}: ${failed.length} of ${checks.length} checks failed:`,
    );
    lines.push(...failed.map((what) => `  ✘ ${what}`));
  }
  return lines.join("\n") + "\n";
}
