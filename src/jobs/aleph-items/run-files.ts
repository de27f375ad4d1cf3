import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../runtime/atomic-write.js";

/**
 * The run's folder `{state_dir}/aleph-items/runs/<run id>/`: every Aleph answer and every CaiaSoft request
 * and answer, saved before it is read, as `<iteration>.<what>.json` (plain text: `cat` shows it).
 */
export class RunFiles {
  constructor(readonly dir: string) {}

  /** Saves one body and returns its path. */
  async save(iteration: number, what: string, body: string): Promise<string> {
    const file = path.join(this.dir, `${iteration}.${what}.json`);
    await writeFileAtomic(file, body.endsWith("\n") ? body : `${body}\n`);
    return file;
  }
}

/** A run id that sorts by start time: `20200702T130000Z-4242`. */
export function newRunId(now: Date, pid = process.pid): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${pid}`;
}

/**
 * Removes the run folders last written more than `keepDays` days ago (0: every earlier run), never the
 * folder `keep` of the current run. Returns the names removed.
 */
export async function pruneRunFolders(
  runsDir: string,
  keepDays: number,
  now: Date,
  keep: string,
): Promise<string[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const limit = now.getTime() - keepDays * 86_400_000;
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const folder = path.join(runsDir, entry.name);
    const info = await stat(folder).catch(() => undefined);
    if (!info || info.mtimeMs >= limit) continue;
    await rm(folder, { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed.sort();
}
