import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { WriteStream } from "node:fs";
import { MarcXmlWriter } from "../../marc/writer.js";
import type { MarcRecord } from "../../marc/record.js";
import { fsyncDir } from "../../runtime/atomic-write.js";

/**
 * The output being written: records streamed into one `<collection>` in `<file>.part`, which becomes `<file>`
 * only when complete, so a half-written export is never mistaken for a finished one.
 */
export class CollectionFile {
  readonly #file: string;
  readonly #part: string;
  readonly #stream: WriteStream;
  readonly #writer: MarcXmlWriter;

  private constructor(file: string) {
    this.#file = file;
    this.#part = `${file}.part`;
    this.#stream = createWriteStream(this.#part);
    this.#writer = new MarcXmlWriter(this.#stream, { pretty: true });
  }

  static async create(file: string): Promise<CollectionFile> {
    await mkdir(path.dirname(file), { recursive: true });
    return new CollectionFile(file);
  }

  get count(): number {
    return this.#writer.count;
  }

  write(record: MarcRecord): Promise<void> {
    return this.#writer.write(record);
  }

  /** Closes the collection and renames `.part` to the file; returns the file. */
  async commit(): Promise<string> {
    await this.#writer.end();
    await rename(this.#part, this.#file);
    await fsyncDir(path.dirname(this.#file));
    return this.#file;
  }

  /** Drops the half-written file. */
  async discard(): Promise<void> {
    this.#stream.destroy();
    await rm(this.#part, { force: true });
  }
}
