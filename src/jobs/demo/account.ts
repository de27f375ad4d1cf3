import type { RunSummary } from "../../runtime/run-report.js";
import { exitCodeFor } from "../../runtime/run-report.js";

/** One expectation about the outcome, read from the simulators' state (never from the job's own report). */
export interface DemoCheck {
  what: string;
  ok: boolean;
  /** What the state showed when it was not as expected. */
  found?: string;
}

/** What one step of the demo did: a few readable lines and its checks. */
export interface StepAccount {
  title: string;
  /** When the job runs in production (crontab.example, the seeds' schedule). */
  when: string;
  durationMs: number;
  lines: string[];
  checks: DemoCheck[];
  summaries: RunSummary[];
}

/** What a step function returns; the runner adds the title, the schedule and the time taken. */
export type StepOutcome = Pick<StepAccount, "lines" | "checks" | "summaries">;

/** A check: `ok` when the condition holds; `found` says what was there instead. */
export function expectThat(what: string, ok: boolean, found?: string): DemoCheck {
  return { what, ok, ...(!ok && found !== undefined ? { found } : {}) };
}

/** The check every job run gets: it finished, with no record failed (exit 0). */
export function finishedCleanly(summary: RunSummary): DemoCheck {
  const who = `${summary.job}${summary.institution ? ` ${summary.institution}` : ""}`;
  const found = summary.aborted
    ? `aborted: ${summary.aborted}`
    : summary.failures
        .slice(0, 3)
        .map((failure) => `${failure.barcode ?? failure.record ?? ""} ${failure.message}`.trim())
        .join("; ");
  return expectThat(`${who} finished with exit 0`, exitCodeFor(summary) === 0, found);
}

/** `created: 2, updated: 1` — the summary's counts in a stable order, a few renamed for reading. */
export function countsLine(counts: Record<string, number>, order: readonly string[] = []): string {
  const keys = [
    ...order.filter((key) => key in counts),
    ...Object.keys(counts)
      .filter((key) => !order.includes(key))
      .sort(),
  ];
  return keys.map((key) => `${key}: ${counts[key]}`).join(", ");
}

/** A value of a JSON answer or summary as text: strings and numbers as they are, anything else as `fallback`. */
export function text(value: unknown, fallback = "?"): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : fallback;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The account of one step as printed. */
export function formatStep(index: number, step: StepAccount): string {
  const passed = step.checks.every((check) => check.ok);
  const lines = [
    `${index}. ${step.title}  (${step.when})  ${passed ? "✔" : "✘"} ${seconds(step.durationMs)}`,
    ...step.lines.map((line) => `   ${line}`),
    ...step.checks.map(
      (check) =>
        `   ${check.ok ? "✔" : "✘"} ${check.what}${check.ok || !check.found ? "" : ` — found: ${check.found}`}`,
    ),
  ];
  return lines.join("\n") + "\n\n";
}
