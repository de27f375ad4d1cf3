import { almaPath } from "./alma-path.js";
import { getObject, sendForObject } from "./calls.js";
import type { ItemAddress } from "./items.js";
import { listOf } from "./json-shapes.js";
import type { AlmaTransport } from "./transport.js";
import type { AlmaLoan } from "./types.js";

export interface CreateLoanOptions {
  /** Replaces the default look-up run after an uncertain create (see `writeOnce`). */
  lookup?: () => Promise<AlmaLoan | undefined>;
}

/** Loans: lend an item to a user (the SCF lends each stored item to its institution's system patron). */
export class LoansApi {
  constructor(private readonly transport: AlmaTransport) {}

  /**
   * Lends the item to `userId` (body: `circ_desk` and `library`); after an uncertain outcome, looks among the
   * item's active loans for one to that user before writing again.
   */
  create(
    userId: string,
    item: ItemAddress,
    loan: AlmaLoan,
    options: CreateLoanOptions = {},
  ): Promise<AlmaLoan> {
    return this.transport.writeOnce(
      () =>
        sendForObject<AlmaLoan>(this.transport, {
          method: "POST",
          path: almaPath`users/${userId}/loans`,
          query: { item_pid: item.pid },
          json: loan,
        }),
      options.lookup ??
        (async () =>
          (await this.listForItem(item)).find(
            (candidate) => candidate.user_id === userId && (candidate.loan_status ?? "ACTIVE") === "ACTIVE",
          )),
    );
  }

  /** The item's active loans (Alma lists at most one). */
  async listForItem(item: ItemAddress): Promise<AlmaLoan[]> {
    const body = await getObject<unknown>(
      this.transport,
      almaPath`bibs/${item.mmsId}/holdings/${item.holdingId}/items/${item.pid}/loans`,
    );
    return listOf<AlmaLoan>(body, "item_loan");
  }
}
