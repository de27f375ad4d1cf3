import type { Logger } from "../../runtime/logger.js";
import { sleep } from "../../runtime/backoff.js";
import type { LoanJournal } from "./loan-journal.js";
import type { SyncItemsAlma } from "./scf-port.js";

export interface LoanTarget {
  scfBarcode: string;
  userId: string;
  /** The item's ids when this run just created it (it cannot be on loan yet): no look-up needed. */
  created?: ScfItemIds;
}

export interface ScfItemIds {
  mmsId: string;
  holdingId: string;
  pid: string;
}

export type LoanOutcome = "loaned" | "already on loan" | "item gone";

/** Where a loan owed by an earlier run stands, as the SCF says. */
export type OwedLoanState =
  { kind: "item gone" } | { kind: "already on loan" } | { kind: "due"; ids: ScfItemIds };

/**
 * Creates each new SCF item's loan after a delay (Alma needs a moment before the item can be loaned) without
 * holding a worker: the item's slot is free for the next item while the loan waits.
 */
export class LoanScheduler {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly alma: SyncItemsAlma,
    private readonly journal: LoanJournal,
    private readonly delayMs: number,
    private readonly logger: Logger,
    private readonly onResult: (target: LoanTarget, outcome: LoanOutcome | Error) => void,
  ) {}

  schedule(target: LoanTarget): void {
    const run = sleep(this.delayMs)
      .then(() => (target.created ? this.loanJustCreated(target, target.created) : this.loanNow(target)))
      .then(
        (outcome) => this.onResult(target, outcome),
        (error: Error) => this.onResult(target, error),
      );
    this.#pending.add(run);
    void run.finally(() => this.#pending.delete(run));
  }

  /** Loans the item unless it is on loan already (a re-run after a crash), then clears the journal entry. */
  async loanNow(target: LoanTarget): Promise<LoanOutcome> {
    const state = await this.lookUp(target);
    if (state.kind === "due") return this.loanCreated(target, state.ids);
    await this.journal.remove(target.scfBarcode);
    return state.kind;
  }

  /** Whether the item still needs its loan: looks, writes nothing (--dry-run plans from this). */
  async lookUp(target: LoanTarget): Promise<OwedLoanState> {
    const item = await this.alma.findScfItem(target.scfBarcode);
    if (!item) return { kind: "item gone" };
    const data = item.item_data ?? {};
    const processType = (data.process_type as { value?: string } | undefined)?.value;
    if (processType === "LOAN") return { kind: "already on loan" };
    const ids = {
      mmsId: String(item.bib_data?.mms_id),
      holdingId: String(item.holding_data?.holding_id),
      pid: String(data.pid),
    };
    return { kind: "due", ids };
  }

  /**
   * Loans an item this run created. When Alma refuses, the item may have been withdrawn meanwhile (a later
   * `_delete` file of the same run): then there is no loan to make, and no failure.
   */
  async loanJustCreated(target: LoanTarget, ids: ScfItemIds): Promise<LoanOutcome> {
    try {
      return await this.loanCreated(target, ids);
    } catch (error) {
      const state = await this.lookUp(target).catch(() => undefined);
      if (state?.kind !== "item gone") throw error;
      await this.journal.remove(target.scfBarcode);
      return "item gone";
    }
  }

  /** Loans an item whose ids are known and which cannot be on loan yet, then clears its journal entry. */
  async loanCreated(target: LoanTarget, ids: ScfItemIds): Promise<"loaned"> {
    await this.alma.createScfLoan(target.userId, { ...ids, scfBarcode: target.scfBarcode });
    await this.journal.remove(target.scfBarcode);
    this.logger.debug(`loaned ${target.scfBarcode} to ${target.userId}`);
    return "loaned";
  }

  /** Waits for every scheduled loan. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
