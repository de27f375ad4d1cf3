import type { Readable } from "node:stream";
import { Parser, type ReadEntry } from "tar";

export interface TarEntryStream {
  name: string;
  stream: AsyncIterable<Buffer>;
}

/**
 * The regular-file entries of a tar or tar.gz stream, one at a time, without extracting to disk. Each entry must
 * be read (or abandoned by asking for the next) before the next one comes; the archive is read only as fast as
 * the entries are consumed. A damaged archive throws tar's error (`TAR_BAD_ARCHIVE`, a zlib error).
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
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  parser.on("entry", (entry: ReadEntry) => {
    entries.push(entry);
    notify();
  });
  parser.on("end", () => {
    done = true;
    notify();
  });
  parser.on("error", (error: unknown) => {
    failure ??= error as Error;
    notify();
  });

  const pump = (async () => {
    for await (const chunk of input) {
      if (!parser.write(chunk as Buffer)) await drainOrAbort(parser);
      if (failure !== undefined) return;
    }
    parser.end();
  })().catch((error: unknown) => {
    failure ??= error as Error;
    notify();
  });

  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const entry = entries.shift();
      if (entry !== undefined) {
        yield { name: entry.path, stream: entry };
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

function isRegularFile(entry: ReadEntry): boolean {
  return entry.type === "File" || entry.type === "OldFile" || entry.type === "ContiguousFile";
}
