import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../runtime/atomic-write.js";

/** An SCF item created (or being created) whose loan to the member's system user is not yet confirmed. */
export interface PendingLoan {
  scfBarcode: string;
  userId: string;
  since: string;
}

/**
 * The loans still owed, kept on disk so a run killed between creating an SCF item and loaning it finishes the
 * loan next time instead of leaving the item unloaned. Written atomically after every change.
 */
export class LoanJournal {
  readonly #entries = new Map<string, PendingLoan>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(readonly file: string) {}

  static async open(stateDir: string, institution: string): Promise<LoanJournal> {
    const journal = new LoanJournal(path.join(stateDir, "sync-items", institution, "pending-loans.json"));
    try {
      const entries = JSON.parse(await readFile(journal.file, "utf8")) as PendingLoan[];
      for (const entry of entries) journal.#entries.set(entry.scfBarcode, entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new Error(`cannot read the loan journal ${journal.file}: ${(error as Error).message}`);
      }
    }
    return journal;
  }

  pending(): PendingLoan[] {
    return [...this.#entries.values()];
  }

  has(scfBarcode: string): boolean {
    return this.#entries.has(scfBarcode);
  }

  add(entry: PendingLoan): Promise<void> {
    this.#entries.set(entry.scfBarcode, entry);
    return this.#save();
  }

  remove(scfBarcode: string): Promise<void> {
    if (!this.#entries.delete(scfBarcode)) return this.#writes;
    return this.#save();
  }

  #save(): Promise<void> {
    const snapshot = JSON.stringify(this.pending(), null, 1);
    this.#writes = this.#writes.then(() => writeFileAtomic(this.file, snapshot));
    return this.#writes;
  }
}
