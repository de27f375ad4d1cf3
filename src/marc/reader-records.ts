import { StringDecoder } from "node:string_decoder";
import { MarcParseError, MarcRecordError, MarcSourceError } from "./errors.js";
import { MarcXmlParser, type ReadRecord } from "./reader-parser.js";

/** One XML document of a source: its chunks, and the tar entry it is, if any. */
export interface MarcDocument {
  chunks: AsyncIterator<Buffer | string>;
  entry?: string;
}

/** The documents of a source in order: one for XML and gzip, one per entry of a tar. */
export interface MarcDocuments {
  /** The next document, or undefined after the last. */
  next(): Promise<MarcDocument | undefined>;
  /** Stops reading the source and releases it (the file or stream is destroyed); safe to call twice. */
  close(): Promise<void>;
}

export interface RecordIteratorOptions {
  onInvalidRecord?: ((error: MarcRecordError) => void) | undefined;
  /** The largest piece of a chunk parsed at once: bounds the records parsed ahead of the consumer. */
  chunkSize: number;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The records of a source's documents, as one flat async iterator (nested async generators cost a few per cent
 * of the reading time). Records parsed from one piece of a chunk wait in `ready`; while there are some, `next()`
 * hands one out without reading; when there are none, it parses the next piece, reading a chunk when needed.
 * A record that is not MARC goes to `onInvalidRecord` when its turn comes, so reports keep document order, and
 * an error is thrown only after the records before it.
 */
export class RecordIterator implements AsyncIterableIterator<ReadRecord> {
  private readonly ready: (ReadRecord | MarcRecordError)[] = [];
  private index = 0;
  private document: MarcDocument | undefined;
  private parser: MarcXmlParser | undefined;
  private decoder = new StringDecoder("utf8");
  /** The chunk being parsed piece by piece, and where the next piece starts. */
  private chunk: Buffer | string | undefined;
  private offset = 0;
  /** The error to throw once the records before it are handed out. */
  private failure: Error | undefined;
  private ended = false;
  /** A `next()` that is reading; a second one waits for it, as with an async generator. */
  private reading: Promise<IteratorResult<ReadRecord>> | undefined;

  constructor(
    private readonly file: string,
    private readonly documents: MarcDocuments,
    private readonly options: RecordIteratorOptions,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ReadRecord>> {
    if (this.reading !== undefined) {
      const after = () => this.next();
      return this.reading.then(after, after);
    }
    let record: ReadRecord | undefined;
    try {
      record = this.take();
    } catch (error) {
      return this.fail(error);
    }
    if (record !== undefined) return Promise.resolve({ value: record, done: false });
    const reading = this.read().finally(() => (this.reading = undefined));
    this.reading = reading;
    return reading;
  }

  /** Stops reading; the source is released. */
  async return(): Promise<IteratorReturnResult<undefined>> {
    await this.close();
    return DONE;
  }

  /** Stops reading, releases the source and throws `error`. */
  async throw(error?: unknown): Promise<IteratorResult<ReadRecord>> {
    await this.close();
    throw error;
  }

  /** The next record waiting in `ready`, reporting the invalid ones before it; undefined when none waits. */
  private take(): ReadRecord | undefined {
    const ready = this.ready;
    while (this.index < ready.length) {
      const item = ready[this.index++]!;
      if (!(item instanceof MarcRecordError)) return item;
      this.options.onInvalidRecord?.(item);
    }
    ready.length = 0;
    this.index = 0;
    return undefined;
  }

  private async read(): Promise<IteratorResult<ReadRecord>> {
    try {
      while (this.failure === undefined) {
        if (this.ended) return DONE;
        await this.parseMore();
        const record = this.take();
        if (record !== undefined) return { value: record, done: false };
      }
    } catch (error) {
      this.failure ??= error as Error;
    }
    const failure = this.failure;
    this.failure = undefined;
    return this.fail(failure);
  }

  /** Parses the next piece: of the chunk under way, else of the next chunk, else of the next document. */
  private async parseMore(): Promise<void> {
    if (this.chunk !== undefined) return this.parsePiece();
    const document = this.document;
    if (document === undefined) return this.openNextDocument();
    let result: IteratorResult<Buffer | string>;
    try {
      result = await document.chunks.next();
    } catch (error) {
      this.failure = sourceErrorOf(error, this.file, document.entry);
      return;
    }
    if (result.done === true) return this.endDocument();
    this.chunk = result.value;
    this.offset = 0;
    this.parsePiece();
  }

  private async openNextDocument(): Promise<void> {
    let document: MarcDocument | undefined;
    try {
      document = await this.documents.next();
    } catch (error) {
      this.failure = sourceErrorOf(error, this.file, undefined);
      return;
    }
    if (document === undefined) {
      this.ended = true;
      await this.close();
      return;
    }
    const ready = this.ready;
    this.document = document;
    this.decoder = new StringDecoder("utf8");
    this.parser = new MarcXmlParser(
      { file: this.file, entry: document.entry },
      { record: (r) => ready.push(r), invalid: (e) => ready.push(e) },
    );
  }

  /**
   * Parses at most `chunkSize` of the chunk under way: a tar entry can hand over megabytes at once (one
   * compressed block inflates ~10-40×), and the records waiting for the consumer should stay few.
   */
  private parsePiece(): void {
    const chunk = this.chunk!;
    const size = this.options.chunkSize;
    let piece: Buffer | string;
    if (this.offset === 0 && chunk.length <= size) {
      piece = chunk;
      this.chunk = undefined;
    } else {
      const start = this.offset;
      piece =
        typeof chunk === "string" ? chunk.slice(start, start + size) : chunk.subarray(start, start + size);
      this.offset = start + size;
      if (this.offset >= chunk.length) this.chunk = undefined;
    }
    try {
      this.parser!.write(typeof piece === "string" ? piece : this.decoder.write(piece));
    } catch (error) {
      this.failure = error as Error;
    }
  }

  private endDocument(): void {
    try {
      this.parser!.write(this.decoder.end());
      this.parser!.close();
    } catch (error) {
      this.failure = error as Error;
    }
    this.document = undefined;
    this.parser = undefined;
  }

  private async fail(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }

  private async close(): Promise<void> {
    this.ended = true;
    this.chunk = undefined;
    this.ready.length = 0;
    this.index = 0;
    await this.documents.close();
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
