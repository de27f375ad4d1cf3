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
  /** Rejects (`rejects`, `errors`), or every item of the batch when `success:false` names none. */
  problems: ItemProblem[];
  /** Counts that do not add up (CaiaSoft once processed only the last barcode of a batch). */
  countMismatch?: string;
  warnings: string[];
}

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
  return {
    sent,
    accepted: incoming,
    success: true,
    error: answer.error,
    problems,
    countMismatch,
    warnings: answer.warnings(),
  };
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
  return {
    sent,
    accepted: updated,
    success: true,
    error: answer.error,
    problems,
    countMismatch,
    warnings: answer.warnings(),
  };
}

/** `success:false`: the items CaiaSoft named, or the whole batch with CaiaSoft's error when it named none. */
function refused(
  answer: Answer,
  sentBarcodes: readonly string[],
  problems: ItemProblem[],
  accepted: number,
): BatchOutcome {
  const reason = `CaiaSoft answered success:false: ${answer.error || "no reason given"}`;
  return {
    sent: sentBarcodes.length,
    accepted,
    success: false,
    error: answer.error,
    problems: problems.length > 0 ? problems : sentBarcodes.map((barcode) => ({ barcode, reason })),
    warnings: answer.warnings(),
  };
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
    return barcodeKey ? { barcode: fields[barcodeKey] as string, reason } : { reason };
  }
  return { reason: JSON.stringify(entry) };
}
