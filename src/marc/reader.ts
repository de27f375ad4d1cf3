import { createReadStream } from "node:fs";
import path from "node:path";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { MarcParseError, MarcSourceError, type MarcRecordError } from "./errors.js";
import { MarcXmlParser, type ReadRecord } from "./reader-parser.js";
import { tarEntries } from "./reader-tar.js";
import { XmlDecoder } from "./xml-encoding.js";
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
  const records = readRecords(source, options);
  const given = typeof source === "object" && "stream" in source ? source.stream : undefined;
  return given instanceof Readable ? closingStream(records, given) : records;
}

async function* readRecords(source: MarcSource, options: ReadMarcOptions): AsyncGenerator<ReadRecord> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const name = typeof source === "string" ? source : "path" in source ? source.path : source.name;
  const format = (typeof source === "object" ? source.format : undefined) ?? formatOf(name);
  // Compressed input inflates ~10-40× in one go (tar's gunzip is synchronous): read it in smaller pieces.
  const readSize = format === "xml" ? chunkSize : Math.max(1024, chunkSize >> 2);
  // Opened here, on the first read: an iterator that is never read holds no file open.
  const input =
    typeof source === "object" && "stream" in source
      ? source.stream
      : createReadStream(name, { highWaterMark: readSize });

  if (format === "xml" || format === "gzip") {
    const chunks = format === "xml" ? input : gunzip(input, chunkSize);
    yield* readXmlChunks(sourceChunks(chunks, name), { file: name }, options);
    return;
  }
  const entries = tarEntries(toReadable(input), options.entryFilter);
  for await (const entry of sourceChunks(entries, name)) {
    const chunks = sourceChunks(entry.stream, name, entry.name);
    yield* readXmlChunks(chunks, { file: name, entry: entry.name }, options);
  }
}

/**
 * Parses one XML document from a stream of chunks. Records found in a chunk are handed out before the next
 * chunk is read; an error is thrown only after the records before it.
 */
async function* readXmlChunks(
  chunks: AsyncIterable<Buffer | string>,
  source: { file: string; entry?: string },
  options: ReadMarcOptions,
): AsyncGenerator<ReadRecord> {
  const ready: (ReadRecord | MarcRecordError)[] = [];
  const parser = new MarcXmlParser(source, {
    record: (r) => ready.push(r),
    invalid: (e) => ready.push(e),
  });
  const decoder = new XmlDecoder(source);
  const onInvalid = options.onInvalidRecord;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;

  function* drain(): Generator<ReadRecord> {
    for (let i = 0; i < ready.length; i++) {
      const item = ready[i]!;
      if ("leader" in item) yield item;
      else onInvalid?.(item);
    }
    ready.length = 0;
  }

  for await (const chunk of chunks) {
    // A tar entry can hand over megabytes at once (one compressed block inflates ~10-40×); parse it in pieces
    // so the records waiting for the consumer and the strings alive at once stay small.
    for (let start = 0; start < chunk.length; start += chunkSize) {
      const piece =
        chunk.length <= chunkSize
          ? chunk
          : typeof chunk === "string"
            ? chunk.slice(start, start + chunkSize)
            : chunk.subarray(start, start + chunkSize);
      let failure: Error | undefined;
      try {
        parser.write(typeof piece === "string" ? piece : decoder.write(piece));
      } catch (error) {
        failure = error as Error;
      }
      yield* drain();
      if (failure !== undefined) throw failure;
    }
  }
  let failure: Error | undefined;
  try {
    parser.write(decoder.end());
    parser.close();
  } catch (error) {
    failure = error as Error;
  }
  yield* drain();
  if (failure !== undefined) throw failure;
}

/** The items of a source (chunks, tar entries); a failure to read them becomes a MarcSourceError. */
async function* sourceChunks<T>(items: AsyncIterable<T>, file: string, entry?: string): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    throw sourceErrorOf(error, file, entry);
  }
}

/**
 * An error from reading the source (gunzip, tar) as a MarcSourceError naming the file and entry. Errors of
 * the file system name their file already and keep their code (`ENOENT`), so they pass as they are.
 */
function sourceErrorOf(error: unknown, file: string, entry: string | undefined): Error {
  if (error instanceof MarcParseError || error instanceof MarcSourceError) return error;
  if (typeof (error as NodeJS.ErrnoException).path === "string") return error as Error;
  return new MarcSourceError(reasonOf(error), { file, entry }, { cause: error });
}

function reasonOf(error: unknown): string {
  const { code, message = String(error) } = error as { code?: unknown; message?: string };
  if (code === "Z_BUF_ERROR") return "compressed data ends early";
  const truncated = /Truncated input \((.*)\)/.exec(message);
  if (truncated) return `the archive ends early (${truncated[1]})`;
  return message.replace(/^(zlib|TAR_[A-Z_]+): /, "");
}

/**
 * Stopping the records also destroys a stream the caller handed over, even before the first read (a generator
 * that has not started runs none of its code on return).
 */
function closingStream(
  records: AsyncGenerator<ReadRecord>,
  stream: Readable,
): AsyncIterableIterator<ReadRecord> {
  return {
    next: () => records.next(),
    return: (value?: unknown) => {
      stream.destroy();
      return records.return(value);
    },
    throw: (error?: unknown) => {
      stream.destroy();
      return records.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
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

function toReadable(input: Readable | AsyncIterable<Buffer | string>): Readable {
  return input instanceof Readable ? input : Readable.from(input, { objectMode: false });
}

function gunzip(input: Readable | AsyncIterable<Buffer | string>, chunkSize: number): Readable {
  // pipeline destroys every stage on an error, so the error reaches whoever iterates the last one.
  return pipeline(toReadable(input), createGunzip({ chunkSize }), () => {});
}
