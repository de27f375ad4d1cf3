import { ErrorCodes } from "./error-codes.js";

const WINDOW_MS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LimitsOptions {
  rateLimitPerSecond: number;
  dailyBudget: number;
}

export type Admission =
  | { admitted: true; remaining: number }
  | { admitted: false; remaining: number; errorCode: string; message: string };

interface Usage {
  /** Times of admitted calls still inside the 1-second window. */
  recent: number[];
  day: number;
  used: number;
}

/**
 * Alma's two limits per institution: at most N admitted calls in any 1-second window, and a daily budget
 * (reset when the clock passes midnight UTC). Refused calls use neither.
 */
export class InstitutionLimits {
  private usage = new Map<string, Usage>();

  constructor(private readonly options: LimitsOptions) {}

  private usageOf(institution: string, now: number): Usage {
    const day = Math.floor(now / DAY_MS);
    let usage = this.usage.get(institution);
    if (!usage) {
      usage = { recent: [], day, used: 0 };
      this.usage.set(institution, usage);
    }
    if (usage.day !== day) {
      usage.day = day;
      usage.used = 0;
    }
    while (usage.recent.length > 0 && (usage.recent[0] ?? 0) <= now - WINDOW_MS) usage.recent.shift();
    return usage;
  }

  /** Decides one call at `now`, and counts it when admitted. */
  admit(institution: string, now: number, dailyBudget = this.options.dailyBudget): Admission {
    const usage = this.usageOf(institution, now);
    const remaining = Math.max(0, dailyBudget - usage.used);
    if (usage.used >= dailyBudget) {
      return {
        admitted: false,
        remaining,
        errorCode: ErrorCodes.dailyThreshold,
        message:
          "Daily API Request Threshold has been reached. For details see: https://developers.exlibrisgroup.com/alma/apis/#threshold",
      };
    }
    if (usage.recent.length >= this.options.rateLimitPerSecond) {
      return {
        admitted: false,
        remaining,
        errorCode: ErrorCodes.perSecondThreshold,
        message:
          "Request Threshold has been reached. For details see: https://developers.exlibrisgroup.com/alma/apis/#threshold",
      };
    }
    usage.recent.push(now);
    usage.used += 1;
    return { admitted: true, remaining: dailyBudget - usage.used };
  }

  /** What is left of the day's budget. */
  remaining(institution: string, now: number, dailyBudget = this.options.dailyBudget): number {
    return Math.max(0, dailyBudget - this.usageOf(institution, now).used);
  }

  reset(): void {
    this.usage.clear();
  }
}
