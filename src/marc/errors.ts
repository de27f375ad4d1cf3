/** Where in a source something went wrong: the file, the tar entry inside it (if any), line and column. */
export interface MarcPosition {
  file: string;
  entry?: string;
  line: number;
  column: number;
}

/** `file` or `file[entry]`, as messages name a source. */
function sourceName(source: { file: string; entry?: string | undefined }): string {
  return source.entry === undefined ? source.file : `${source.file}[${source.entry}]`;
}

function where(position: MarcPosition): string {
  return `${sourceName(position)}:${position.line}:${position.column}`;
}

/** The MARC-XML is not well-formed XML; records read before the fault were delivered, nothing after it. */
export class MarcParseError extends Error {
  override readonly name = "MarcParseError";
  readonly code = "EMARCPARSE";
  readonly file: string;
  readonly entry: string | undefined;
  readonly line: number;
  readonly column: number;
  constructor(
    /** What the XML parser objected to, without the position. */
    readonly reason: string,
    position: MarcPosition,
    options?: ErrorOptions,
  ) {
    super(`${where(position)}: ${reason}`, options);
    this.file = position.file;
    this.entry = position.entry;
    this.line = position.line;
    this.column = position.column;
  }
}

/** A well-formed `<record>` that is not MARC (no leader, a bad tag, a subfield without code); it was skipped. */
export class MarcRecordError extends Error {
  override readonly name = "MarcRecordError";
  readonly code = "EMARCRECORD";
  readonly file: string;
  readonly entry: string | undefined;
  /** Line and column of the `<record>` start tag. */
  readonly line: number;
  readonly column: number;
  constructor(
    /** What is wrong with the record, e.g. `record has no leader`. */
    readonly reason: string,
    position: MarcPosition,
    /** The record's 001, when it had one, to find it in the source system. */
    readonly controlNumber?: string,
  ) {
    const id = controlNumber === undefined ? "" : ` (001 ${controlNumber})`;
    super(`${where(position)}: record skipped${id}: ${reason}`);
    this.file = position.file;
    this.entry = position.entry;
    this.line = position.line;
    this.column = position.column;
  }
}

/**
 * The bytes of a source could not be read as the format says: compressed data or a tar archive that ends early
 * or is damaged. Records read before the fault were delivered, nothing after it.
 */
export class MarcSourceError extends Error {
  override readonly name = "MarcSourceError";
  readonly code = "EMARCSOURCE";
  readonly file: string;
  readonly entry: string | undefined;
  constructor(
    /** What went wrong, e.g. `compressed data ends early`. */
    readonly reason: string,
    source: { file: string; entry?: string },
    options?: ErrorOptions,
  ) {
    super(`${sourceName(source)}: ${reason}`, options);
    this.file = source.file;
    this.entry = source.entry;
  }
}
