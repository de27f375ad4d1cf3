import { sleep } from "../../runtime/backoff.js";
import type { RunReport } from "../../runtime/run-report.js";
import { abortErrorOf } from "./abort-error-of.js";
import type { LoanJournal, PendingLoan } from "./loan-journal.js";
import type { LoanScheduler } from "./loan-scheduler.js";

export interface OwedLoansOptions {
  journal: LoanJournal;
  loans: LoanScheduler;
  report: RunReport;
  /** `sync_items.loan_delay_ms`: a loan is due this long after its item was created. */
  delayMs: number;
  signal: AbortSignal;
  now?: () => number;
}

/**
 * Makes the loans an earlier run owed (it died between creating an item and loaning it), oldest first, each
 * no sooner than `delayMs` after the item was created. Throws an AbortError when Alma cannot be used.
 */
export async function finishOwedLoans(options: OwedLoansOptions): Promise<void> {
  const { journal, loans, report } = options;
  const now = options.now ?? Date.now;
  for (const owed of oldestFirst(journal.pending())) {
    try {
      await sleep(msUntilLoanDue(owed, options.delayMs, now()), options.signal);
      const outcome = await loans.loanNow(owed);
      report.count(outcome === "loaned" ? "loaned (owed by an earlier run)" : `owed loan: ${outcome}`);
    } catch (error) {
      if (options.signal.aborted) return;
      const stop = abortErrorOf(error);
      if (stop) throw stop;
      report.fail({ barcode: owed.scfBarcode, step: "create owed loan", message: (error as Error).message });
    }
  }
}

/**
 * --dry-run: looks each owed loan up and plans the ones still to make; the journal is left as it is. Throws an
 * AbortError when Alma cannot be used.
 */
export async function planOwedLoans(options: Pick<OwedLoansOptions, "journal" | "loans" | "report">) {
  const { journal, loans, report } = options;
  for (const owed of oldestFirst(journal.pending())) {
    try {
      const state = await loans.lookUp(owed);
      if (state.kind === "due") {
        report.plan({
          action: "loan",
          target: `SCF item ${owed.scfBarcode} to ${owed.userId}`,
          detail: "owed by an earlier run",
        });
      } else {
        report.count(`owed loan: ${state.kind}`);
      }
    } catch (error) {
      const stop = abortErrorOf(error);
      if (stop) throw stop;
      report.fail({ barcode: owed.scfBarcode, step: "look up owed loan", message: (error as Error).message });
    }
  }
}

/** How long until an owed loan is due: `since` + the delay, 0 when past (or when `since` is unreadable). */
export function msUntilLoanDue(owed: PendingLoan, delayMs: number, now: number): number {
  const since = Date.parse(owed.since);
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + delayMs - now);
}

function oldestFirst(entries: PendingLoan[]): PendingLoan[] {
  return [...entries].sort((a, b) => a.since.localeCompare(b.since));
}
