import type { Readable } from "node:stream";
import { Parser, type ReadEntry } from "tar";

export interface TarEntryStream {
  name: string;
  stream: AsyncIterable<Buffer>;
}

/**
 * The regular-file entries of a tar or tar.gz stream, one at a time, without extracting to disk. Each entry must
 * be read (or abandoned by asking for the next) before the next one comes; the archive is read only as fast as
 * the entries are consumed. A damaged archive throws tar's error (`TAR_BAD_ARCHIVE`, a zlib error): from the
 * entry being read when it comes in the middle of one, else from the next step of this iterator.
 */
export async function* tarEntries(
  input: Readable,
  filter: (entryName: string) => boolean = () => true,
): AsyncGenerator<TarEntryStream> {
  const parser = new Parser({
    strict: true,
    filter: (entryName, entry) => isRegularFile(entry as ReadEntry) && filter(entryName),
  });
  const entries: ReadEntry[] = [];
  let done = false;
  let failure: Error | undefined;
  /** The entry handed to the consumer: a failure must end its stream too, or its reader waits forever. */
  let current: ReadEntry | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const fail = (error: unknown) => {
    failure ??= error as Error;
    // Emitted, not destroyed: the bytes the entry holds still come out first (they are before the fault).
    if (current !== undefined && current.blockRemain > 0) current.emit("error", failure);
    current = undefined;
    notify();
  };
  parser.on("entry", (entry: ReadEntry) => {
    entries.push(entry);
    notify();
  });
  parser.on("end", () => {
    done = true;
    notify();
  });
  parser.on("error", fail);

  const pump = (async () => {
    for await (const chunk of input) {
      if (!parser.write(chunk as Buffer)) await drainOrAbort(parser);
      if (failure !== undefined) return;
    }
    parser.end();
  })().catch(fail);

  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const entry = entries.shift();
      if (entry !== undefined) {
        current = entry;
        // The failure reaches the consumer through its read; unheard, minipass would throw it from emit().
        entry.on("error", ignore);
        yield { name: entry.path, stream: entryChunks(entry, () => failure) };
        current = undefined;
        // An entry the consumer did not finish is drained so the archive can move on to the next one.
        if (!entry.emittedEnd) entry.resume();
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!done || failure !== undefined) {
      input.destroy();
      parser.abort(new Error("tar reading stopped early"));
    }
    await pump;
  }
}

/**
 * The chunks of an entry. An entry cut short by a failure of the archive ends with that failure, not as if it
 * were whole (tar ends a truncated entry normally after reporting the truncation).
 */
function entryChunks(entry: ReadEntry, failureOf: () => Error | undefined): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]() {
      const chunks = entry[Symbol.asyncIterator]();
      return {
        async next() {
          const result = await chunks.next();
          const failure = failureOf();
          if (result.done === true && failure !== undefined && entry.blockRemain > 0) throw failure;
          return result;
        },
        return: () => chunks.return(),
      };
    },
  };
}

/** Waits until the parser wants more input or gave up, leaving no listener behind (this runs once per chunk). */
function drainOrAbort(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      parser.off("drain", done);
      parser.off("abort", done);
      resolve();
    };
    parser.on("drain", done);
    parser.on("abort", done);
  });
}

function ignore(): void {}

function isRegularFile(entry: ReadEntry): boolean {
  return entry.type === "File" || entry.type === "OldFile" || entry.type === "ContiguousFile";
}
