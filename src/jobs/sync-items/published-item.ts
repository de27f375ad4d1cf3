import {
  getControlValue,
  getDataFields,
  subfieldValue,
  subfieldValuesOf,
  type MarcRecord,
} from "../../marc/record.js";

/** One item of a publishing record: an `ITM` field (`$b` barcode, `$c` library, `$l` location, `$n` note). */
export interface PublishedItem {
  barcode?: string;
  library?: string;
  location?: string;
  note?: string;
}

/** What sync-items needs from one record of a member's publishing file. */
export interface PublishedRecord {
  /** 001: the member's own MMS id. */
  mmsId?: string;
  /** The first 035 $a containing EXLNZ, without its `(EXLNZ-…)` prefix. */
  nzMmsId?: string;
  items: PublishedItem[];
}

export function readPublishedRecord(record: MarcRecord): PublishedRecord {
  return {
    mmsId: getControlValue(record, "001")?.trim() || undefined,
    nzMmsId: networkZoneId(record),
    items: getDataFields(record, "ITM").map((field) => ({
      barcode: clean(subfieldValue(field, "b")),
      library: clean(subfieldValue(field, "c")),
      location: clean(subfieldValue(field, "l")),
      note: clean(subfieldValue(field, "n")),
    })),
  };
}

/** `(EXLNZ-01AAA_NETWORK)9912345600001` → `9912345600001`. */
export function networkZoneId(record: MarcRecord): string | undefined {
  const value = subfieldValuesOf(record, "035", "a").find((v) => v.includes("EXLNZ"));
  if (!value) return undefined;
  return clean(value.replace(/^\s*\([^)]*\)/, ""));
}

/**
 * The subfield an item's ITM field lacks to be synced, as its failure says it; undefined when none does. A
 * withdrawal (`deleted`) needs only the barcode; the barcode's absence is the caller's to report.
 */
export function missingItemSubfield(item: PublishedItem, deleted: boolean): string | undefined {
  if (deleted) return undefined;
  if (!item.library) return "ITM field without $c (library)";
  if (!item.location) return "ITM field without $l (location)";
  return undefined;
}

/** `_delete` anywhere in the file (or tar entry) name, any case, means "these items were deleted". */
export function isDeleteFile(name: string): boolean {
  return /_delete/i.test(name);
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
