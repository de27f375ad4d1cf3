import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../runtime/atomic-write.js";

/** Where in the run a body was exchanged: the run's iteration and the window's page it was on. */
export interface RunFilePosition {
  iteration: number;
  page: number;
}

/**
 * The run's folder `{state_dir}/aleph-items/runs/<run id>/`: every Aleph answer and every CaiaSoft request
 * and answer, saved before it is read, as `<iteration>-p<page>.<what>.json` (plain text: `cat` shows it).
 * The page is in the name because a resumed run's first iteration is a later page of the window.
 */
export class RunFiles {
  constructor(readonly dir: string) {}

  /** Saves one body and returns its path: `2-p4.new-1.request.json`. */
  async save(at: RunFilePosition, what: string, body: string): Promise<string> {
    const file = path.join(this.dir, `${at.iteration}-p${at.page}.${what}.json`);
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
