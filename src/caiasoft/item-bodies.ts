/** An item as CaiaSoft takes it: a barcode and any of its item fields, unknown ones passed through. */
export type CaiasoftItem = { barcode: string } & Record<string, unknown>;

/** CaiaSoft leaves a field sent empty unchanged; this value clears it. */
export const CLEAR_FIELD = "CLEARFIELD*";

export const INCOMING_ITEMS_ENDPOINT = "/incomingitems/v1";
export const ITEM_UPDATES_ENDPOINT = "/itemupdates/v1";

/** The body of `POST /incomingitems/v1`: new items exactly as given, nulls kept. */
export function incomingItemsBody(items: readonly CaiasoftItem[]): string {
  return JSON.stringify({ incoming: items }, null, 2);
}

/** The body of `POST /itemupdates/v1`: every `null` field becomes `CLEARFIELD*` so CaiaSoft clears it. */
export function itemUpdatesBody(items: readonly CaiasoftItem[]): string {
  return JSON.stringify({ items: items.map(withClearedNulls) }, null, 2);
}

/** The update of one item: its null fields written as `CLEARFIELD*`, every other value unchanged. */
export function withClearedNulls(item: CaiasoftItem): CaiasoftItem {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) out[key] = value === null ? CLEAR_FIELD : value;
  return out as CaiasoftItem;
}

/** Cuts a list into batches of at most `size` (CaiaSoft times out on large ones; its SDK uses 500). */
export function splitIntoBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer, not ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
