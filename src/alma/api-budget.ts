import type { Logger } from "../runtime/logger.js";

export interface ApiBudgetOptions {
  /** Warn (once per institution) when `X-Exl-Api-Remaining` drops below this. */
  warnBelow: number;
  logger: Logger;
}

/**
 * What is left of each institution's daily API budget, as Alma tells it in `X-Exl-Api-Remaining` on every
 * answer: the lowest value seen per institution (for the run summary), a warning once when it runs low, and
 * whether the budget is spent (429 `DAILY_THRESHOLD`), after which no call is made to that institution.
 */
export class ApiBudget {
  readonly #lowest = new Map<string, number>();
  readonly #warned = new Set<string>();
  readonly #spent = new Set<string>();

  constructor(readonly options: ApiBudgetOptions) {}

  /** Notes the header of one answer (absent or unreadable values are ignored). */
  record(institution: string, header: string | string[] | undefined): void {
    const raw = Array.isArray(header) ? header[0] : header;
    if (raw === undefined || raw.trim() === "") return;
    const remaining = Number(raw);
    if (!Number.isFinite(remaining)) return;
    const lowest = this.#lowest.get(institution);
    if (lowest === undefined || remaining < lowest) this.#lowest.set(institution, remaining);
    if (remaining < this.options.warnBelow && !this.#warned.has(institution)) {
      this.#warned.add(institution);
      this.options.logger.warn(
        `Alma API budget of ${institution} is running low: ${remaining} calls left today ` +
          `(warning below ${this.options.warnBelow})`,
      );
    }
  }

  /** The lowest `X-Exl-Api-Remaining` seen for the institution in this run. */
  lowest(institution: string): number | undefined {
    return this.#lowest.get(institution);
  }

  /** Lowest remaining budget per institution, for the run summary's details. */
  summary(): Record<string, number> {
    return Object.fromEntries(this.#lowest);
  }

  markSpent(institution: string): void {
    this.#spent.add(institution);
    this.#lowest.set(institution, 0);
  }

  isSpent(institution: string): boolean {
    return this.#spent.has(institution);
  }
}
