import { CaiasoftResponseError } from "./caiasoft-error.js";
import { INCOMING_ITEMS_ENDPOINT, ITEM_UPDATES_ENDPOINT } from "./item-bodies.js";

/** One item CaiaSoft refused, with CaiaSoft's reason; the barcode is missing when CaiaSoft named none. */
export interface ItemProblem {
  barcode?: string;
  reason: string;
}

/** CaiaSoft's answer to one batch, read. */
export interface BatchOutcome {
  sent: number;
  /** Items CaiaSoft took: `incoming_count` or `updated_count`. */
  accepted: number;
  success: boolean;
  error: string;
  /**
   * False when CaiaSoft answered `success:false` without accepting or naming any item: nothing says what
   * became of the batch, so it must be sent again (docs/adr/0004-aleph-checkpoint.md).
   */
  answered: boolean;
  /** Rejects (`rejects`, `errors`), then every sent item neither accepted nor named, when that can be told. */
  problems: ItemProblem[];
  /** Counts that do not add up and do not say which items were lost (CaiaSoft once took only a batch's last). */
  countMismatch?: string;
  warnings: string[];
}

/** The reason given to a sent item CaiaSoft neither accepted nor named. */
export const NOT_NAMED = "not accepted by CaiaSoft, not named in its answer";

/** Reads the answer to `POST /incomingitems/v1` for the given barcodes (in the order sent). */
export function parseIncomingItemsOutcome(
  body: string,
  sentBarcodes: readonly string[],
  savedAs?: string,
): BatchOutcome {
  const answer = readAnswer(body, `POST ${INCOMING_ITEMS_ENDPOINT}`, savedAs);
  const sent = sentBarcodes.length;
  const problems = answer.list("rejects").map((entry) => itemProblem(entry, sentBarcodes));
  if (!answer.success) {
    return refused(answer, sentBarcodes, problems, answer.optionalCount("incoming_count") ?? 0);
  }
  const incoming = answer.count("incoming_count");
  const rejected = answer.optionalCount("rejected_count") ?? problems.length;
  let countMismatch: string | undefined;
  if (incoming + rejected !== sent) {
    countMismatch = `CaiaSoft counted ${incoming} incoming and ${rejected} rejected of ${sent} items sent`;
  } else if (rejected !== problems.length) {
    countMismatch = `CaiaSoft counted ${rejected} rejected items but named ${problems.length}`;
  }
  countMismatch ??= strangerNamed(problems, sentBarcodes);
  return accountedFor(answer, sentBarcodes, problems, incoming, countMismatch);
}

/** Reads the answer to `POST /itemupdates/v1` for the given barcodes (in the order sent). */
export function parseItemUpdatesOutcome(
  body: string,
  sentBarcodes: readonly string[],
  savedAs?: string,
): BatchOutcome {
  const answer = readAnswer(body, `POST ${ITEM_UPDATES_ENDPOINT}`, savedAs);
  const sent = sentBarcodes.length;
  const problems = answer.list("errors").map((entry) => itemProblem(entry, sentBarcodes));
  if (!answer.success) {
    return refused(answer, sentBarcodes, problems, answer.optionalCount("updated_count") ?? 0);
  }
  const updated = answer.count("updated_count");
  const total = answer.optionalCount("total_count") ?? sent;
  let countMismatch: string | undefined;
  if (total !== sent) {
    countMismatch = `CaiaSoft counted ${total} of ${sent} items sent`;
  } else if (updated + problems.length < total) {
    countMismatch = `CaiaSoft updated ${updated} of ${total} items and named ${problems.length} errors`;
  }
  countMismatch ??= strangerNamed(problems, sentBarcodes);
  return accountedFor(answer, sentBarcodes, problems, updated, countMismatch);
}

/**
 * `success:true`. When the counts do not add up and CaiaSoft accepted nothing, every sent item it did not name
 * is reported by barcode; when it accepted some, which ones cannot be told, and the mismatch is reported as is.
 */
function accountedFor(
  answer: Answer,
  sentBarcodes: readonly string[],
  problems: ItemProblem[],
  accepted: number,
  countMismatch: string | undefined,
): BatchOutcome {
  const outcome = {
    sent: sentBarcodes.length,
    accepted,
    success: true,
    error: answer.error,
    answered: true,
    problems,
    countMismatch,
    warnings: answer.warnings(),
  };
  const lost = countMismatch && accepted === 0 ? unnamedBarcodes(sentBarcodes, problems) : [];
  if (lost.length === 0) return outcome;
  const reason = `${NOT_NAMED} (${countMismatch})`;
  return {
    ...outcome,
    problems: [...problems, ...lost.map((barcode) => ({ barcode, reason }))],
    countMismatch: undefined,
  };
}

/**
 * `success:false`: the items CaiaSoft named, then, when it accepted and named fewer than were sent, every sent
 * item it did not name (which of them it accepted, if any, it does not say). Accepting and naming nothing leaves
 * the batch unanswered.
 */
function refused(
  answer: Answer,
  sentBarcodes: readonly string[],
  problems: ItemProblem[],
  accepted: number,
): BatchOutcome {
  const outcome = {
    sent: sentBarcodes.length,
    accepted,
    success: false,
    error: answer.error,
    answered: accepted > 0 || problems.length > 0,
    problems,
    warnings: answer.warnings(),
  };
  if (!outcome.answered || accepted + problems.length >= sentBarcodes.length) return outcome;
  const unnamed = unnamedBarcodes(sentBarcodes, problems);
  const reason = refusalReason(answer.error, accepted, unnamed.length);
  return { ...outcome, problems: [...problems, ...unnamed.map((barcode) => ({ barcode, reason }))] };
}

function refusalReason(error: string, accepted: number, unnamed: number): string {
  const base = error ? `CaiaSoft answered success:false: ${error}` : NOT_NAMED;
  return accepted > 0
    ? `${base} (CaiaSoft accepted ${accepted} of the ${unnamed} items it did not name)`
    : base;
}

/** The sent barcodes no entry of CaiaSoft's answer names, each once, in the order sent. */
function unnamedBarcodes(sentBarcodes: readonly string[], problems: readonly ItemProblem[]): string[] {
  const named = new Set(problems.map((problem) => problem.barcode));
  return [...new Set(sentBarcodes)].filter((barcode) => !named.has(barcode));
}

interface Answer {
  success: boolean;
  error: string;
  count(key: string): number;
  optionalCount(key: string): number | undefined;
  list(key: string): unknown[];
  warnings(): string[];
}

function readAnswer(body: string, call: string, savedAs: string | undefined): Answer {
  const fail = (what: string) =>
    new CaiasoftResponseError(
      `CaiaSoft's answer to ${call} ${what}${savedAs ? ` (saved as ${savedAs})` : ""}`,
      savedAs,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail("is not JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw fail("is not a JSON object");
  const fields = parsed as Record<string, unknown>;
  if (typeof fields.success !== "boolean") throw fail("has no success flag");
  const optionalCount = (key: string): number | undefined => {
    const value = fields[key];
    if (value === undefined || value === null || value === "") return undefined;
    // CaiaSoft sends counts as strings ("2"); a number is taken too.
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return Number.parseInt(value, 10);
    throw fail(`has ${key} ${JSON.stringify(value)}, which is not a count`);
  };
  return {
    success: fields.success,
    error: typeof fields.error === "string" ? fields.error : "",
    count(key) {
      const value = optionalCount(key);
      if (value === undefined) throw fail(`has no ${key}`);
      return value;
    },
    optionalCount,
    list(key) {
      const value = fields[key];
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value)) throw fail(`has ${key} as something other than a list`);
      return value as unknown[];
    },
    warnings() {
      const value = fields.warnings;
      if (!Array.isArray(value)) return [];
      return value.map((warning) => (typeof warning === "string" ? warning : JSON.stringify(warning)));
    },
  };
}

/**
 * A barcode CaiaSoft names that this batch did not send: the counts may add up, yet the item it stands for is
 * not accounted for.
 */
function strangerNamed(
  problems: readonly ItemProblem[],
  sentBarcodes: readonly string[],
): string | undefined {
  const stranger = problems.find((p) => p.barcode !== undefined && !sentBarcodes.includes(p.barcode));
  return stranger
    ? `CaiaSoft named ${JSON.stringify(stranger.barcode)}, which this batch did not send`
    : undefined;
}

const BARCODE_KEYS = ["barcode", "Barcode", "item", "item_barcode"];
const REASON_KEYS = ["reason", "error", "message", "msg", "status", "description"];

/** One entry of `rejects` or `errors`: an object naming the barcode and a reason, or a line of text. */
function itemProblem(entry: unknown, sentBarcodes: readonly string[]): ItemProblem {
  if (typeof entry === "string") {
    const text = entry.trim();
    const barcode = sentBarcodes.find((candidate) => text.includes(candidate));
    if (barcode === undefined) return { reason: text || "no reason given" };
    return { barcode, reason: text === barcode ? "no reason given" : text };
  }
  if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) {
    const fields = entry as Record<string, unknown>;
    const barcodeKey = BARCODE_KEYS.find((key) => typeof fields[key] === "string" && fields[key] !== "");
    const reasonKey = REASON_KEYS.find((key) => typeof fields[key] === "string" && fields[key] !== "");
    const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== barcodeKey));
    const reason = reasonKey
      ? (fields[reasonKey] as string)
      : Object.keys(rest).length > 0
        ? JSON.stringify(rest)
        : "no reason given";
    return barcodeKey ? { barcode: (fields[barcodeKey] as string).trim(), reason } : { reason };
  }
  return { reason: JSON.stringify(entry) };
}
