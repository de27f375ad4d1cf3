/**
 * The "Special Collections changes" of the reference (§3 of docs/reference aspace2alma), one function per rule,
 * each editing the record in place. Rule 13 (item fields) is in items.ts.
 */
import {
  addSubfield,
  controlField,
  dataField,
  getControlValue,
  getDataField,
  getDataFields,
  insertAfter,
  insertBefore,
  isControlField,
  isDataField,
  removeField,
  removeFields,
  removeSubfield,
  replaceField,
  subfieldValue,
  type DataField,
  type MarcRecord,
} from "../../marc/record.js";
import type { Aspace2AlmaSettings } from "./settings.js";

/** Rule 1: drops every subfield whose text is empty or blank, then every data field left without subfields. */
export function removeEmptyElements(record: MarcRecord): void {
  for (const field of record.fields) {
    if (isDataField(field)) field.subfields = field.subfields.filter((s) => s.value.trim() !== "");
  }
  record.fields = record.fields.filter((f) => !isDataField(f) || f.subfields.length > 0);
}

/** Rule 2: in every subfield, each run of line breaks becomes one space. */
export function collapseLineBreaks(record: MarcRecord): void {
  for (const field of record.fields) {
    if (!isDataField(field)) continue;
    for (const s of field.subfields) s.value = s.value.replace(/[\r\n]+/g, " ");
  }
}

/** Rule 3: `001` = 099 $a and `003` = the institution code, just before 008 (existing ones are replaced). */
export function addControlNumber(
  record: MarcRecord,
  callNumber: string,
  settings: Aspace2AlmaSettings,
): void {
  removeFields(record, (f) => isControlField(f) && (f.tag === "001" || f.tag === "003"));
  const added = [controlField("001", callNumber), controlField("003", settings.institutionCode)];
  if (!insertBefore(record, "008", ...added)) record.fields.unshift(...added);
}

/** Rule 4: `035 ␣␣ $a (PULFA){099 $a}` right after 008. */
export function addSystemControlNumber(
  record: MarcRecord,
  callNumber: string,
  settings: Aspace2AlmaSettings,
): void {
  const field = dataField("035", " ", " ", [["a", `(${settings.institutionCode})${callNumber}`]]);
  if (!insertAfter(record, "008", field)) record.fields.push(field);
}

/** Rule 5: every 040 becomes `040 ␣␣ $a NjP $b eng $e dacs $c NjP`; none is added when there is none. */
export function replaceCatalogingSource(record: MarcRecord, settings: Aspace2AlmaSettings): void {
  const agency = settings.catalogingAgency;
  for (const old of getDataFields(record, "040")) {
    const replacement = dataField("040", " ", " ", [
      ["a", agency],
      ["b", "eng"],
      ["e", "dacs"],
      ["c", agency],
    ]);
    replaceField(record, old, replacement);
  }
}

/** 008/07-10 and 008/11-14 (0-based): Date 1 and Date 2, read by rule 6. */
export const DATE1 = { start: 7, end: 11 };
export const DATE2 = { start: 11, end: 15 };

/**
 * Rule 6: after the first 041, `046 ␣␣ $a i $c {008/07-10} $e {008/11-14}`; nothing without a 041. A blank
 * date is left out (Alma would load an empty $c or $e), and the whole 046 when both are.
 */
export function addDatesFrom008(record: MarcRecord): void {
  const fixed = getControlValue(record, "008");
  if (fixed === undefined) return;
  const begin = fixed.slice(DATE1.start, DATE1.end);
  const end = fixed.slice(DATE2.start, DATE2.end);
  if (isBlank(begin) && isBlank(end)) return;
  const field = dataField("046", " ", " ", [["a", "i"]]);
  if (!isBlank(begin)) addSubfield(field, "c", begin);
  if (!isBlank(end)) addSubfield(field, "e", end);
  insertAfter(record, (f) => f.tag === "041" && isDataField(f), field);
}

function isBlank(text: string): boolean {
  return text.trim() === "";
}

/** Rule 7: the first 245 $g, `1930-1950`, becomes `(mostly 1930-1950)`. */
export function qualifyBulkDates(record: MarcRecord): void {
  for (const field of getDataFields(record, "245")) {
    const g = field.subfields.find((s) => s.code === "g");
    if (g) {
      g.value = `(mostly ${g.value})`;
      return;
    }
  }
}

/** Alma's field-size limit against ArchivesSpace's 40,000-character notes. */
export const SCOPE_NOTE_LIMIT = 7999;

/** Rule 8: in every 520, the first $a longer than 7999 characters is cut to 7996 + `...`; every 520 is kept. */
export function truncateScopeNotes(record: MarcRecord): void {
  for (const field of getDataFields(record, "520")) {
    const a = field.subfields.find((s) => s.code === "a");
    if (a && a.value.length > SCOPE_NOTE_LIMIT) a.value = `${a.value.slice(0, SCOPE_NOTE_LIMIT - 3)}...`;
  }
}

export const HEADING_TAGS = ["600", "610", "630", "648", "650", "651", "655", "656", "657", "700"];

/**
 * Rule 9: in subject and name headings, the first $a is split on `--`; the first part stays $a, each further
 * part goes to the end of the field as $y (starts with two digits) or $x; then VIAF links are recoded.
 */
export function splitSubjectHeadings(record: MarcRecord): void {
  for (const field of getDataFields(record, HEADING_TAGS)) {
    splitHeading(field);
    recodeViafLinks(field);
  }
}

/** `Textile workers -- Labor unions -- 20th century.` → `$a Textile workers $x Labor unions $y 20th century.` */
export function splitHeading(field: DataField): void {
  const a = field.subfields.find((s) => s.code === "a");
  if (!a) return;
  const [first = "", ...rest] = a.value.split("--").map((part) => part.trim());
  a.value = first;
  for (const part of rest) {
    if (part !== "") addSubfield(field, /^[0-9]{2}/.test(part) ? "y" : "x", part);
  }
  if (a.value === "") removeSubfield(field, a);
}

/** The first $0 holding a VIAF URI becomes $1; a first $2 of exactly `viaf` is removed and ind2 7 becomes 0. */
export function recodeViafLinks(field: DataField): void {
  const zero = field.subfields.find((s) => s.code === "0");
  if (zero?.value.includes("viaf")) zero.code = "1";
  const source = field.subfields.find((s) => s.code === "2");
  if (source?.value === "viaf") {
    removeSubfield(field, source);
    if (field.ind2 === "7") field.ind2 = "0";
  }
}

/** Rule 10: every 852 goes (Alma makes its own holdings). */
export function removeHoldingsFields(record: MarcRecord): void {
  removeFields(record, (f) => f.tag === "852" && isDataField(f));
}

/** Rule 11: the first 856 becomes `856 4 2 $z Search and Request $u {its first $u} $y … Finding Aids`. */
export function replaceFindingAidLink(record: MarcRecord, settings: Aspace2AlmaSettings): void {
  const old = getDataField(record, "856");
  if (!old) return;
  const url = subfieldValue(old, "u");
  const link = dataField("856", "4", "2", [["z", settings.findingAidLabel]]);
  if (url !== undefined) addSubfield(link, "u", url);
  addSubfield(link, "y", settings.findingAidNote);
  replaceField(record, old, link);
}

/**
 * Rule 12: each 500 $a `Location of resource: scarcpph.` of a known location code gives one `982 ␣␣ $c {code}`
 * per code in the note, after the last data field.
 */
export function addLocationFields(record: MarcRecord, settings: Aspace2AlmaSettings): void {
  const added: DataField[] = [];
  for (const field of getDataFields(record, "500")) {
    for (const s of field.subfields) {
      if (s.code !== "a" || !settings.locationNote.test(s.value)) continue;
      for (const code of locationCodesOf(s.value)) added.push(dataField("982", " ", " ", [["c", code]]));
    }
  }
  if (added.length === 0) return;
  const last = record.fields.findLastIndex(isDataField);
  record.fields.splice(last < 0 ? record.fields.length : last + 1, 0, ...added);
}

/** `Location of resource: scamss scarcpph.` → `["scamss", "scarcpph"]`: the label and the final period go. */
export function locationCodesOf(note: string): string[] {
  return note
    .replace(/^.*?Location of resource:\s*/s, "")
    .replace(/\.\s*$/, "")
    .split(/\s+/)
    .filter((token) => token !== "");
}

/** Rule 14: the first 351 and every 500, 524, 535, 540, 541, 544, 561 and 583 go (staff-only notes). */
export function removeInternalNotes(record: MarcRecord): void {
  const arrangement = getDataField(record, "351");
  if (arrangement) removeField(record, arrangement);
  const tags = new Set(["500", "524", "535", "540", "541", "544", "561", "583"]);
  removeFields(record, (f) => isDataField(f) && tags.has(f.tag));
}

/** Rule 15: every data field with ind2 7 and `$2 local` gets `$5 NjP` at its end. */
export function markLocalHeadings(record: MarcRecord, settings: Aspace2AlmaSettings): void {
  for (const field of record.fields) {
    if (!isDataField(field) || field.ind2 !== "7") continue;
    if (!field.subfields.some((s) => s.code === "2" && s.value === "local")) continue;
    if (field.subfields.some((s) => s.code === "5" && s.value === settings.catalogingAgency)) continue;
    addSubfield(field, "5", settings.catalogingAgency);
  }
}
