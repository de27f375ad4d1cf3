/** An Alma item as JSON: the fields we read are typed, everything else is carried along untouched. */
export interface AlmaItemJson {
  bib_data?: Record<string, unknown>;
  holding_data?: Record<string, unknown>;
  item_data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Item fields a member's item must not bring into the SCF (seed 001 §6.3.3). */
const ITEM_FIELDS_NOT_COPIED = [
  "po_line",
  "library",
  "location",
  "policy",
  "internal_note_1",
  "internal_note_3",
];
const HOLDING_FIELDS_NOT_COPIED = [
  "call_number",
  "temp_library",
  "in_temp_location",
  "temp_location",
  "temp_policy",
];

/** The SCF keeps its own values of these on every update (seed 001 §6.3.5, plus po_line and policy). */
const ITEM_FIELDS_KEPT_FROM_SCF = [
  "pid",
  "barcode",
  "provenance",
  "library",
  "location",
  "alternative_call_number",
  "alternative_call_number_type",
  "storage_location_id",
  "internal_note_1",
  "internal_note_3",
  "statistics_note_2",
  "po_line",
  "policy",
];

/**
 * What Alma computes or derives for itself — circulation state (the SCF copy is always on loan, the member's item
 * on its shelf, so these always differ), the dates Alma stamps, the `parsed_*` enumeration — and the member's
 * order date (its PO line stays behind too). Never copied from the member, never compared. A deny-list, not a
 * list of writable fields: the PUT replaces the whole item, so a writable field left off such a list would be
 * wiped in the SCF (ADR 0007).
 */
const ALMA_OWNED_ITEM_FIELDS = new Set([
  "link",
  "process_type",
  "base_status",
  "requested",
  "awaiting_reshelving",
  "due_date",
  "due_date_policy",
  "last_loan_date",
  "creation_date",
  "modification_date",
  "expected_arrival_date",
  "library_details",
]);
const ALMA_OWNED_ITEM_FIELD_PREFIX = "parsed_";

export const isAlmaOwnedItemField = (key: string): boolean =>
  ALMA_OWNED_ITEM_FIELDS.has(key) || key.startsWith(ALMA_OWNED_ITEM_FIELD_PREFIX);

export const scfBarcode = (memberBarcode: string): string => `${memberBarcode}X`;

/** The body that creates the SCF copy of a member's item: barcode + X, provenance, member-only fields removed. */
export function itemForScfCreate(
  memberItem: AlmaItemJson,
  institutionCode: string,
  memberBarcode: string,
): AlmaItemJson {
  const item = structuredClone(memberItem);
  delete item.link;
  const itemData = withoutAlmaOwned(item.item_data);
  for (const key of ITEM_FIELDS_NOT_COPIED) delete itemData[key];
  delete itemData.pid;
  itemData.barcode = scfBarcode(memberBarcode);
  itemData.provenance = { value: institutionCode };
  const holdingData = { ...(item.holding_data ?? {}) };
  for (const key of HOLDING_FIELDS_NOT_COPIED) delete holdingData[key];
  return { ...item, item_data: itemData, holding_data: holdingData };
}

/**
 * The SCF item updated from the member's current item (seed 001 §6.3.5). What Alma owns is sent back as the SCF
 * copy has it, so the whole-item PUT leaves the SCF's own loan state and dates as they are.
 */
export function mergeForScfUpdate(memberItem: AlmaItemJson, scfItem: AlmaItemJson): AlmaItemJson {
  const scfData = scfItem.item_data ?? {};
  const itemData = withoutAlmaOwned(structuredClone(memberItem.item_data));
  for (const key of ITEM_FIELDS_KEPT_FROM_SCF) {
    if (key in scfData) itemData[key] = structuredClone(scfData[key]);
    else delete itemData[key];
  }
  for (const [key, value] of Object.entries(scfData)) {
    if (isAlmaOwnedItemField(key)) itemData[key] = structuredClone(value);
  }
  const { link: _memberLink, ...item } = structuredClone(memberItem);
  return {
    ...item,
    ...(scfItem.link !== undefined ? { link: scfItem.link } : {}),
    item_data: itemData,
    holding_data: structuredClone(scfItem.holding_data),
    bib_data: structuredClone(scfItem.bib_data),
  };
}

/** Whether a PUT of `merged` would change nothing that a PUT can change on `scfItem`. */
export function isUnchangedForPut(merged: AlmaItemJson, scfItem: AlmaItemJson): boolean {
  return canonical(comparable(merged.item_data)) === canonical(comparable(scfItem.item_data));
}

function withoutAlmaOwned(itemData: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(itemData ?? {}).filter(([key]) => !isAlmaOwnedItemField(key)));
}

function comparable(itemData: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(itemData ?? {})) {
    if (isAlmaOwnedItemField(key) || isEmpty(value)) continue;
    out[key] = value;
  }
  return out;
}

/** Alma writes an unset field as absent, null, "" or `{"value": ""}`: all the same here. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "desc");
    return entries.every(([, v]) => isEmpty(v));
  }
  return false;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object)
      .filter((key) => key !== "desc" && !isEmpty(object[key]))
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
