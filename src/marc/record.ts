/**
 * The MARC record model: plain objects and small functions, so a reader can build records at stream speed and
 * jobs can edit them in place. Fields keep their order in one list (control fields first, as MARC-XML writes
 * them); tags are three-character strings (`001`, `949`, `ITM`, `AVA`).
 */

/** One subfield of a data field: a one-character code and its text. */
export interface Subfield {
  code: string;
  value: string;
}

/** A control field (`001`–`009`): a tag and an unstructured value. */
export interface ControlField {
  tag: string;
  value: string;
}

/** A data field: tag, two one-character indicators (`" "` when blank) and ordered subfields. */
export interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export type Field = ControlField | DataField;

/** Where a record was read from: the file, the tar entry inside it (if any) and the line of `<record>`. */
export interface RecordOrigin {
  file: string;
  entry?: string;
  line?: number;
}

export interface MarcRecord {
  /** The 24-character leader. */
  leader: string;
  fields: Field[];
  /** Set by the reader; ignored by the writer and by {@link recordsEqual}. */
  origin?: RecordOrigin;
}

/** A field selector: one tag, any of several tags, or a predicate. */
export type FieldMatch = string | readonly string[] | ((field: Field) => boolean);

/** A subfield selector: one code, any of several codes, or a predicate. */
export type SubfieldMatch = string | readonly string[] | ((subfield: Subfield) => boolean);

/** A subfield given as an object or as a `[code, value]` pair. */
export type SubfieldInput = Subfield | readonly [code: string, value: string];

// ---------------------------------------------------------------------------------------------------------
// Construction

export function createRecord(leader = "", fields: Field[] = []): MarcRecord {
  return { leader, fields };
}

export function controlField(tag: string, value: string): ControlField {
  return { tag, value };
}

/** `dataField("035", " ", " ", [["a", "(PULFA)MC001"]])` */
export function dataField(
  tag: string,
  ind1: string,
  ind2: string,
  subfields: readonly SubfieldInput[] = [],
): DataField {
  return { tag, ind1, ind2, subfields: subfields.map(toSubfield) };
}

export function subfield(code: string, value: string): Subfield {
  return { code, value };
}

function toSubfield(input: SubfieldInput): Subfield {
  return isPair(input) ? { code: input[0], value: input[1] } : { code: input.code, value: input.value };
}

function isPair(input: SubfieldInput): input is readonly [string, string] {
  return Array.isArray(input);
}

/** A deep copy without the origin. */
export function cloneRecord(record: MarcRecord): MarcRecord {
  return { leader: record.leader, fields: record.fields.map(cloneField) };
}

export function cloneField<F extends Field>(field: F): F {
  if (isDataField(field)) {
    return { ...field, subfields: field.subfields.map((s) => ({ code: s.code, value: s.value })) };
  }
  return { ...field };
}

// ---------------------------------------------------------------------------------------------------------
// Kinds and matching

export function isDataField(field: Field): field is DataField {
  return "subfields" in field;
}

export function isControlField(field: Field): field is ControlField {
  return !("subfields" in field);
}

function fieldPredicate(match: FieldMatch): (field: Field) => boolean {
  if (typeof match === "function") return match;
  if (typeof match === "string") return (f) => f.tag === match;
  const tags = new Set(match);
  return (f) => tags.has(f.tag);
}

function subfieldPredicate(match: SubfieldMatch): (subfield: Subfield) => boolean {
  if (typeof match === "function") return match;
  if (typeof match === "string") return (s) => s.code === match;
  const codes = new Set(match);
  return (s) => codes.has(s.code);
}

// ---------------------------------------------------------------------------------------------------------
// Reading fields

/** Every field matching, in record order. */
export function getFields(record: MarcRecord, match: FieldMatch): Field[] {
  return record.fields.filter(fieldPredicate(match));
}

/** Every data field matching, in record order (control fields with the same tag are left out). */
export function getDataFields(record: MarcRecord, match: FieldMatch): DataField[] {
  const test = fieldPredicate(match);
  return record.fields.filter((f): f is DataField => isDataField(f) && test(f));
}

/** The first data field matching, if any. */
export function getDataField(record: MarcRecord, match: FieldMatch): DataField | undefined {
  const test = fieldPredicate(match);
  return record.fields.find((f): f is DataField => isDataField(f) && test(f));
}

/** The first field matching, if any. */
export function getField(record: MarcRecord, match: FieldMatch): Field | undefined {
  return record.fields.find(fieldPredicate(match));
}

/** The value of the first control field with this tag. */
export function getControlValue(record: MarcRecord, tag: string): string | undefined {
  for (const f of record.fields) if (f.tag === tag && isControlField(f)) return f.value;
  return undefined;
}

/**
 * Sets the first control field with this tag, or adds one in tag order among the control fields
 * (so `001` lands before `008`).
 */
export function setControlValue(record: MarcRecord, tag: string, value: string): ControlField {
  for (const f of record.fields) {
    if (f.tag === tag && isControlField(f)) {
      f.value = value;
      return f;
    }
  }
  const field = controlField(tag, value);
  let at = record.fields.findIndex((f) => isDataField(f) || f.tag > tag);
  if (at < 0) at = record.fields.length;
  record.fields.splice(at, 0, field);
  return field;
}

// ---------------------------------------------------------------------------------------------------------
// Reading subfields

/** The first subfield of the field with this code (the object, so it can be edited or renamed). */
export function getSubfield(field: DataField, match: SubfieldMatch): Subfield | undefined {
  return field.subfields.find(subfieldPredicate(match));
}

export function getSubfields(field: DataField, match: SubfieldMatch): Subfield[] {
  return field.subfields.filter(subfieldPredicate(match));
}

/** The value of the first subfield with this code in the field. */
export function subfieldValue(field: DataField, code: string): string | undefined {
  for (const s of field.subfields) if (s.code === code) return s.value;
  return undefined;
}

/** Every value of subfields with this code in the field, in order. */
export function subfieldValues(field: DataField, code: string): string[] {
  const values: string[] = [];
  for (const s of field.subfields) if (s.code === code) values.push(s.value);
  return values;
}

/** The first `tag$code` of the record: `firstSubfieldValue(r, "099", "a")`. */
export function firstSubfieldValue(record: MarcRecord, tag: string, code: string): string | undefined {
  for (const f of record.fields) {
    if (f.tag !== tag || !isDataField(f)) continue;
    for (const s of f.subfields) if (s.code === code) return s.value;
  }
  return undefined;
}

/** Every `tag$code` of the record, in order: `subfieldValuesOf(r, "035", "a")`. */
export function subfieldValuesOf(record: MarcRecord, tag: string, code: string): string[] {
  const values: string[] = [];
  for (const f of record.fields) {
    if (f.tag !== tag || !isDataField(f)) continue;
    for (const s of f.subfields) if (s.code === code) values.push(s.value);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------------
// Editing fields

/** Appends fields at the end of the record. */
export function addField(record: MarcRecord, ...fields: Field[]): void {
  record.fields.push(...fields);
}

function anchorIndex(record: MarcRecord, anchor: FieldMatch | Field, last: boolean): number {
  const test =
    typeof anchor === "object" && !Array.isArray(anchor)
      ? (f: Field) => f === anchor
      : fieldPredicate(anchor as FieldMatch);
  return last ? record.fields.findLastIndex(test) : record.fields.findIndex(test);
}

/**
 * Inserts fields right after the first field matching `anchor` (a tag, tags, predicate or the field itself).
 * Returns false, inserting nothing, when no field matches.
 */
export function insertAfter(record: MarcRecord, anchor: FieldMatch | Field, ...fields: Field[]): boolean {
  const at = anchorIndex(record, anchor, false);
  if (at < 0) return false;
  record.fields.splice(at + 1, 0, ...fields);
  return true;
}

/** Inserts fields right after the last field matching `anchor`; false, inserting nothing, when none matches. */
export function insertAfterLast(record: MarcRecord, anchor: FieldMatch | Field, ...fields: Field[]): boolean {
  const at = anchorIndex(record, anchor, true);
  if (at < 0) return false;
  record.fields.splice(at + 1, 0, ...fields);
  return true;
}

/** Inserts fields right before the first field matching `anchor`; false, inserting nothing, when none matches. */
export function insertBefore(record: MarcRecord, anchor: FieldMatch | Field, ...fields: Field[]): boolean {
  const at = anchorIndex(record, anchor, false);
  if (at < 0) return false;
  record.fields.splice(at, 0, ...fields);
  return true;
}

/** Replaces one field (by identity) with zero or more fields; false when the field is not in the record. */
export function replaceField(record: MarcRecord, target: Field, ...replacements: Field[]): boolean {
  const at = record.fields.indexOf(target);
  if (at < 0) return false;
  record.fields.splice(at, 1, ...replacements);
  return true;
}

/**
 * Replaces every field matching with the replacement (a field, copied for each match, or a function of the old
 * field). Returns how many were replaced; adds nothing when none matches.
 */
export function replaceFields(
  record: MarcRecord,
  match: FieldMatch,
  replacement: Field | ((old: Field) => Field),
): number {
  const test = fieldPredicate(match);
  let count = 0;
  for (let i = 0; i < record.fields.length; i++) {
    const old = record.fields[i]!;
    if (!test(old)) continue;
    record.fields[i] = typeof replacement === "function" ? replacement(old) : cloneField(replacement);
    count++;
  }
  return count;
}

/** Removes every field matching; returns how many were removed. */
export function removeFields(record: MarcRecord, match: FieldMatch): number {
  const test = fieldPredicate(match);
  const before = record.fields.length;
  record.fields = record.fields.filter((f) => !test(f));
  return before - record.fields.length;
}

/** Removes one field by identity; false when it is not in the record. */
export function removeField(record: MarcRecord, field: Field): boolean {
  return replaceField(record, field);
}

// ---------------------------------------------------------------------------------------------------------
// Editing subfields

/** Appends a subfield at the end of the field and returns it. */
export function addSubfield(field: DataField, code: string, value: string): Subfield {
  const s = { code, value };
  field.subfields.push(s);
  return s;
}

/** Inserts a subfield at a position (0 = first) and returns it. */
export function insertSubfield(field: DataField, index: number, code: string, value: string): Subfield {
  const s = { code, value };
  field.subfields.splice(index, 0, s);
  return s;
}

/** Removes every subfield matching; returns how many were removed. */
export function removeSubfields(field: DataField, match: SubfieldMatch): number {
  const test = subfieldPredicate(match);
  const before = field.subfields.length;
  field.subfields = field.subfields.filter((s) => !test(s));
  return before - field.subfields.length;
}

/** Removes one subfield by identity; false when it is not in the field. */
export function removeSubfield(field: DataField, target: Subfield): boolean {
  const at = field.subfields.indexOf(target);
  if (at < 0) return false;
  field.subfields.splice(at, 1);
  return true;
}

/** Gives every subfield with code `from` the code `to` (only the first with `{ first: true }`); returns how many. */
export function renameSubfields(
  field: DataField,
  from: string,
  to: string,
  options: { first?: boolean } = {},
): number {
  let count = 0;
  for (const s of field.subfields) {
    if (s.code !== from) continue;
    s.code = to;
    count++;
    if (options.first) break;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------------------
// Comparison

/** True when leader and fields (order, tags, indicators, subfields) are the same; the origin is ignored. */
export function recordsEqual(a: MarcRecord, b: MarcRecord): boolean {
  if (a.leader !== b.leader || a.fields.length !== b.fields.length) return false;
  for (let i = 0; i < a.fields.length; i++) {
    if (!fieldsEqual(a.fields[i]!, b.fields[i]!)) return false;
  }
  return true;
}

export function fieldsEqual(a: Field, b: Field): boolean {
  if (a.tag !== b.tag) return false;
  if (isDataField(a)) {
    if (!isDataField(b) || a.ind1 !== b.ind1 || a.ind2 !== b.ind2) return false;
    if (a.subfields.length !== b.subfields.length) return false;
    return a.subfields.every((s, i) => s.code === b.subfields[i]!.code && s.value === b.subfields[i]!.value);
  }
  return isControlField(b) && a.value === b.value;
}
