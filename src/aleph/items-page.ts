import { AlephResponseError } from "./aleph-error.js";

/** An item as Aleph sends it: a barcode and every other field passed through unchanged, nulls included. */
export type AlephItem = { barcode: string } & Record<string, unknown>;

/** An entry of `new` or `update` that cannot be sent: it has no barcode. */
export interface UnusableEntry {
  list: "new" | "update";
  index: number;
  reason: string;
}

/** One page of Aleph's answer. */
export interface ItemsPage {
  starttime: string | undefined;
  endtime: string;
  /** Null when the page is the window's last (absent, null or ""). */
  nextitem: string | null;
  new: AlephItem[];
  update: AlephItem[];
  unusable: UnusableEntry[];
}

/**
 * Reads one saved answer of Aleph's items endpoint. Throws AlephResponseError when the body is not the
 * expected JSON (the message names the file it was saved as); entries without a barcode are returned in
 * `unusable` so that the job can report them and go on.
 */
export function parseItemsPage(body: string, savedAs?: string): ItemsPage {
  const fail = (what: string) =>
    new AlephResponseError(`Aleph's answer ${what}${savedAs ? ` (saved as ${savedAs})` : ""}`, savedAs);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail("is not JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw fail("is not a JSON object");
  const answer = parsed as Record<string, unknown>;
  if (typeof answer.endtime !== "string" || answer.endtime === "") throw fail("has no endtime");
  if (answer.nextitem !== undefined && answer.nextitem !== null && typeof answer.nextitem !== "string") {
    throw fail("has a nextitem that is not a string");
  }
  const unusable: UnusableEntry[] = [];
  const items = (list: "new" | "update"): AlephItem[] => {
    const value = answer[list];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw fail(`has "${list}" as something other than a list`);
    const usable: AlephItem[] = [];
    value.forEach((entry: unknown, index) => {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
        unusable.push({ list, index, reason: "entry is not an object" });
        return;
      }
      const barcode = (entry as Record<string, unknown>).barcode;
      if (typeof barcode !== "string" || barcode.trim() === "") {
        unusable.push({ list, index, reason: "item has no barcode" });
        return;
      }
      usable.push(entry as AlephItem);
    });
    return usable;
  };
  const nextitem = typeof answer.nextitem === "string" && answer.nextitem !== "" ? answer.nextitem : null;
  return {
    starttime: typeof answer.starttime === "string" ? answer.starttime : undefined,
    endtime: answer.endtime,
    nextitem,
    new: items("new"),
    update: items("update"),
    unusable,
  };
}
