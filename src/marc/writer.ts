import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { isDataField, type MarcRecord } from "./record.js";
import { escapeAttribute, escapeText } from "./xml-escape.js";

export const MARC_NAMESPACE = "http://www.loc.gov/MARC21/slim";

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The `<collection>` start tag Alma's import profiles are fed (aspace2alma.md §5), byte for byte. */
export const COLLECTION_START =
  '<collection xmlns="http://www.loc.gov/MARC21/slim" xmlns:marc="http://www.loc.gov/MARC21/slim" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://www.loc.gov/MARC21/slim http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd">';

export const COLLECTION_END = "</collection>";

export interface RecordXmlOptions {
  /** One element a line, indented by two spaces; default false (one record a line). */
  pretty?: boolean;
  /** Put `xmlns="http://www.loc.gov/MARC21/slim"` on `<record>`; default false (as inside `<bib>`). */
  xmlns?: boolean;
  /** Indentation of the `<record>` line when pretty (inside a collection: 1). */
  depth?: number;
}

/**
 * One record as MARC-XML, `<record>…</record>` without a trailing newline. The same record always gives the
 * same string: attributes in the order tag, ind1, ind2; fields and subfields in record order; every value
 * escaped (see xml-escape.ts). Empty indicators are written as a blank.
 */
export function recordToXml(record: MarcRecord, options: RecordXmlOptions = {}): string {
  const pretty = options.pretty ?? false;
  const depth = options.depth ?? 0;
  const nl = pretty ? "\n" : "";
  const pad = (level: number) => (pretty ? "  ".repeat(depth + level) : "");
  const open = options.xmlns ? `<record xmlns="${MARC_NAMESPACE}">` : "<record>";
  let out = pad(0) + open + nl;
  out += `${pad(1)}<leader>${escapeText(record.leader)}</leader>${nl}`;
  for (const field of record.fields) {
    const tag = escapeAttribute(field.tag);
    if (!isDataField(field)) {
      out += `${pad(1)}<controlfield tag="${tag}">${escapeText(field.value)}</controlfield>${nl}`;
      continue;
    }
    const ind1 = escapeAttribute(field.ind1 === "" ? " " : field.ind1);
    const ind2 = escapeAttribute(field.ind2 === "" ? " " : field.ind2);
    out += `${pad(1)}<datafield tag="${tag}" ind1="${ind1}" ind2="${ind2}">${nl}`;
    for (const s of field.subfields) {
      out += `${pad(2)}<subfield code="${escapeAttribute(s.code)}">${escapeText(s.value)}</subfield>${nl}`;
    }
    out += `${pad(1)}</datafield>${nl}`;
  }
  return out + pad(0) + "</record>";
}

export interface MarcWriterOptions {
  /** Wrap the records in the `<collection>` of {@link COLLECTION_START}; default true. */
  collection?: boolean;
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>`; default true with a collection, false without. */
  declaration?: boolean;
  /** Indented output; default false (one record a line). */
  pretty?: boolean;
  /** Without a collection: put the MARC namespace on each `<record>`; default false. */
  xmlns?: boolean;
  /** End the output stream in {@link MarcXmlWriter.end}; default true. */
  endOutput?: boolean;
}

/** Text is handed to the output in pieces of about this size, not one write per record. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes records as MARC-XML to a stream, waiting when the stream asks it to (back-pressure). Call `write` for
 * each record, then `end` once; the output is the same bytes for the same records and options.
 */
export class MarcXmlWriter {
  private buffer = "";
  private started = false;
  private ended = false;
  private written = 0;
  private readonly options: Required<MarcWriterOptions>;

  constructor(
    private readonly output: Writable,
    options: MarcWriterOptions = {},
  ) {
    const collection = options.collection ?? true;
    this.options = {
      collection,
      declaration: options.declaration ?? collection,
      pretty: options.pretty ?? false,
      xmlns: options.xmlns ?? false,
      endOutput: options.endOutput ?? true,
    };
  }

  /** How many records were written so far. */
  get count(): number {
    return this.written;
  }

  async write(record: MarcRecord): Promise<void> {
    if (this.ended) throw new Error("MarcXmlWriter.write after end");
    this.start();
    const { collection, pretty, xmlns } = this.options;
    this.buffer +=
      recordToXml(record, { pretty, xmlns: !collection && xmlns, depth: collection ? 1 : 0 }) + "\n";
    this.written++;
    if (this.buffer.length >= FLUSH_AT) await this.flush();
  }

  /** Closes the collection, flushes, and (unless `endOutput: false`) ends the stream and waits until it finished. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.start();
    this.ended = true;
    if (this.options.collection) this.buffer += COLLECTION_END + "\n";
    await this.flush();
    if (this.options.endOutput) {
      this.output.end();
      await finished(this.output);
    }
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    if (this.options.declaration) this.buffer += XML_DECLARATION + "\n";
    if (this.options.collection) this.buffer += COLLECTION_START + "\n";
  }

  private async flush(): Promise<void> {
    if (this.buffer === "") return;
    const text = this.buffer;
    this.buffer = "";
    if (!this.output.write(text)) await once(this.output, "drain");
  }
}

/**
 * Writes records to a MARC-XML file (a `<collection>` unless told otherwise) and returns how many were written.
 * Not atomic: write to a temporary name and rename when the file must appear whole.
 */
export async function writeMarcFile(
  file: string,
  records: Iterable<MarcRecord> | AsyncIterable<MarcRecord>,
  options: Omit<MarcWriterOptions, "endOutput"> = {},
): Promise<number> {
  const output = createWriteStream(file);
  const writer = new MarcXmlWriter(output, options);
  try {
    for await (const record of records) await writer.write(record);
    await writer.end();
  } catch (error) {
    output.destroy();
    throw error;
  }
  return writer.count;
}
