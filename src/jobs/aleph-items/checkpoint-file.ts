import { readdir, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../runtime/atomic-write.js";
import { AbortError } from "../../runtime/errors.js";
import { checkpointProblem, type Checkpoint } from "./checkpoint.js";

/**
 * `{state_dir}/aleph-items/state.json`: read once at the start of a run, written atomically (temp file,
 * fsync, rename, folder fsync) after every batch CaiaSoft answers and every page finished, so a kill at any
 * moment leaves either the previous or the next whole checkpoint.
 */
export class CheckpointFile {
  constructor(readonly file: string) {}

  /** The stored checkpoint, or undefined before the first run; AbortError (exit 3) when it is unreadable. */
  async load(): Promise<Checkpoint | undefined> {
    await this.#removeLeftoverTempFiles();
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new AbortError(`cannot read the checkpoint ${this.file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.#unreadable("not JSON");
    }
    const problem = checkpointProblem(parsed);
    if (problem) throw this.#unreadable(problem);
    return parsed as Checkpoint;
  }

  async save(checkpoint: Checkpoint, runId: string, now: Date): Promise<void> {
    const stamped: Checkpoint = { ...checkpoint, writtenBy: runId, writtenAt: now.toISOString() };
    await writeFileAtomic(this.file, JSON.stringify(stamped, null, 2) + "\n");
  }

  #unreadable(what: string): AbortError {
    return new AbortError(
      `the checkpoint ${this.file} is unreadable (${what}): inspect and repair it, or remove it after setting aleph.default_start to the starttime to resume from (without a checkpoint a run starts at aleph.default_start and sends everything since again)`,
    );
  }

  /** A temp file left by a run killed between writing and renaming (the checkpoint itself is whole). */
  async #removeLeftoverTempFiles(): Promise<void> {
    const dir = path.dirname(this.file);
    const prefix = `.${path.basename(this.file)}.`;
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(prefix) && name.endsWith(".tmp"))
        await unlink(path.join(dir, name)).catch(() => undefined);
    }
  }
}
