import { createReadStream } from "node:fs";
import path from "node:path";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import type { MarcRecordError } from "./errors.js";
import { MarcXmlParser, type ReadRecord } from "./reader-parser.js";
import { RecordIterator, type MarcDocuments } from "./reader-records.js";
import { tarEntries, type TarEntryStream } from "./reader-tar.js";
import type { MarcRecord } from "./record.js";

export type { ReadRecord } from "./reader-parser.js";

/** How a source is stored: plain MARC-XML, gzip-compressed MARC-XML, or a (gzip-compressed) tar of XML files. */
export type MarcSourceFormat = "xml" | "gzip" | "tar" | "tar.gz";

/**
 * What to read: a file path (format from its name: `.tar.gz`/`.tgz`, `.tar`, `.gz`, anything else is XML), or
 * an open stream with the name to report in origins and errors.
 */
export type MarcSource =
  | string
  | { path: string; format?: MarcSourceFormat }
  | { stream: Readable | AsyncIterable<Buffer | string>; name: string; format?: MarcSourceFormat };

export interface ReadMarcOptions {
  /**
   * Called, in document order, for each record that is well-formed XML but not MARC; the record is skipped and
   * reading goes on. Without it such records are skipped silently.
   */
  onInvalidRecord?: (error: MarcRecordError) => void;
  /** Which tar entries to read (regular files only in any case); default: all. */
  entryFilter?: (entryName: string) => boolean;
  /** Bytes read from a file at a time; also bounds how many records are parsed ahead of the consumer. */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 64 * 1024;

/**
 * Reads MARC records from a MARC-XML file, a gzip file, the XML entries of a tar.gz, or a stream, one at a time.
 * Only one chunk's worth of records is parsed ahead of the consumer: the source is read when the consumer asks
 * for more, so memory stays flat. Malformed XML ends the iteration with a `MarcParseError`, compressed data or
 * an archive that is damaged or ends early with a `MarcSourceError`, each after the records before it; records
 * that are not MARC go to `onInvalidRecord`. Stopping early (`break`) closes the source.
 */
export function readMarc(
  source: MarcSource,
  options: ReadMarcOptions = {},
): AsyncIterableIterator<ReadRecord> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const name = typeof source === "string" ? source : "path" in source ? source.path : source.name;
  const format = (typeof source === "object" ? source.format : undefined) ?? formatOf(name);
  // Compressed input inflates ~10-40× in one go (tar's gunzip is synchronous): read it in smaller pieces.
  const readSize = format === "xml" ? chunkSize : Math.max(1024, chunkSize >> 2);
  const given = typeof source === "object" && "stream" in source ? source.stream : undefined;
  // A file is opened on the first read: an iterator that is never read holds no file open.
  const open = () => given ?? createReadStream(name, { highWaterMark: readSize });
  const documents =
    format === "xml"
      ? oneDocument(open)
      : format === "gzip"
        ? oneDocument(() => gunzip(open(), chunkSize))
        : tarDocuments(() => toReadable(open()), options.entryFilter);
  return new RecordIterator(name, destroyingOnClose(documents, given), {
    onInvalidRecord: options.onInvalidRecord,
    chunkSize,
  });
}

/** The format a file name implies. */
export function formatOf(fileName: string): MarcSourceFormat {
  const lower = path.basename(fileName).toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".tar")) return "tar";
  if (lower.endsWith(".gz")) return "gzip";
  return "xml";
}

/**
 * Parses a whole MARC-XML document held in memory (an API response body) into records. Throws
 * `MarcParseError` when it is not well-formed; records that are not MARC go to `onInvalidRecord`.
 */
export function parseMarcXml(
  xml: string,
  options: { name?: string; onInvalidRecord?: (error: MarcRecordError) => void } = {},
): MarcRecord[] {
  const records: MarcRecord[] = [];
  const parser = new MarcXmlParser(
    { file: options.name ?? "(string)" },
    {
      record: (r) => records.push(r),
      invalid: (e) => options.onInvalidRecord?.(e),
    },
  );
  parser.write(xml);
  parser.close();
  return records;
}

/** A source that is one XML document. */
function oneDocument(open: () => Readable | AsyncIterable<Buffer | string>): MarcDocuments {
  let input: Readable | AsyncIterable<Buffer | string> | undefined;
  let chunks: AsyncIterator<Buffer | string> | undefined;
  let closed = false;
  return {
    next() {
      if (input !== undefined || closed) return Promise.resolve(undefined);
      input = open();
      chunks = input[Symbol.asyncIterator]();
      return Promise.resolve({ chunks });
    },
    async close() {
      if (closed) return;
      closed = true;
      await chunks?.return?.();
      if (input instanceof Readable) input.destroy();
    },
  };
}

/** A tar or tar.gz: one document per regular-file entry the filter accepts. */
function tarDocuments(
  open: () => Readable,
  filter: ((entryName: string) => boolean) | undefined,
): MarcDocuments {
  let input: Readable | undefined;
  let entries: AsyncGenerator<TarEntryStream> | undefined;
  let closed = false;
  return {
    async next() {
      if (closed) return undefined;
      if (entries === undefined) {
        input = open();
        entries = tarEntries(input, filter);
      }
      const next = await entries.next();
      return next.done === true
        ? undefined
        : { chunks: next.value.stream[Symbol.asyncIterator](), entry: next.value.name };
    },
    async close() {
      if (closed) return;
      closed = true;
      await entries?.return(undefined);
      input?.destroy();
    },
  };
}

/** Closing also destroys a stream the caller handed over, even one never read. */
function destroyingOnClose(documents: MarcDocuments, given: unknown): MarcDocuments {
  if (!(given instanceof Readable)) return documents;
  return {
    next: () => documents.next(),
    close: async () => {
      await documents.close();
      given.destroy();
    },
  };
}

function toReadable(input: Readable | AsyncIterable<Buffer | string>): Readable {
  return input instanceof Readable ? input : Readable.from(input, { objectMode: false });
}

function gunzip(input: Readable | AsyncIterable<Buffer | string>, chunkSize: number): Readable {
  // pipeline destroys every stage on an error, so the error reaches whoever iterates the last one.
  return pipeline(toReadable(input), createGunzip({ chunkSize }), () => {});
}
