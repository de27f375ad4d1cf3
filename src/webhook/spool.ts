import { mkdir, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { fsyncDir, writeFileAtomic } from "../runtime/atomic-write.js";

/**
 * Where an event is. The folders of the spool are its states:
 * `incoming/` accepted and waiting, `processing/` claimed by a worker, `done/` processed, `failed/` given up
 * (its error recorded beside it as `<id>.error.json`). `attempts/<id>.json` keeps the retries of a waiting event.
 */
export type SpoolState = "incoming" | "processing" | "done" | "failed";

export const SPOOL_FOLDERS: readonly SpoolState[] = ["incoming", "processing", "done", "failed"];

/** One failed try of an event. */
export interface AttemptError {
  at: string;
  message: string;
}

/** The retry record of an event: how often it was tried, why it failed, when it may be tried again. */
export interface AttemptRecord {
  attempts: number;
  notBefore?: string;
  errors: AttemptError[];
}

/** What `failed/<id>.error.json` holds. */
export interface FailureRecord extends AttemptRecord {
  failedAt: string;
}

export interface PendingEvent {
  id: string;
  receivedAt: number;
  attempts: AttemptRecord;
}

export interface SpoolCounts {
  incoming: number;
  processing: number;
  done: number;
  failed: number;
  /** Arrival time (ms) of the oldest event not yet processed (incoming or processing). */
  oldestPendingAt?: number;
}

interface Entry {
  state: SpoolState;
  receivedAt: number;
}

const EVENT_FILE = /^([A-Za-z0-9_-]{1,100})\.json$/;
const NO_ATTEMPTS: AttemptRecord = { attempts: 0, errors: [] };

/**
 * The durable spool of received webhook events, and the index of every event id it holds (the duplicate
 * check). One process owns a spool at a time (the listener holds a lock); within it, every change of state goes
 * through this object, so the index and the folders agree.
 */
export class Spool {
  readonly dir: string;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  private constructor(dir: string, now: () => number) {
    this.dir = dir;
    this.#now = now;
  }

  /**
   * Opens (and creates) a spool: removes temp files of intakes cut short and indexes every event id. Events
   * still in `processing/` stay there: a clean stop puts its runs back in `incoming/`, so these were cut short by
   * a crash, and the workers count that try (`Processor.recoverInterrupted`).
   */
  static async open(dir: string, options: { now?: () => number } = {}): Promise<Spool> {
    const spool = new Spool(dir, options.now ?? Date.now);
    for (const folder of [...SPOOL_FOLDERS, "attempts"])
      await mkdir(spool.#folder(folder), { recursive: true });
    await spool.#removeTempFiles();
    await spool.#index();
    return spool;
  }

  /** Whether an event with this id was ever accepted (and not yet pruned). */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  stateOf(id: string): SpoolState | undefined {
    return this.#entries.get(id)?.state;
  }

  /**
   * Stores a new event durably (temp file, fsync, rename, folder fsync) unless its id is known. The id is
   * reserved before the first await, so two deliveries of one event racing each other store it once.
   */
  async accept(id: string, raw: Uint8Array): Promise<"accepted" | "duplicate"> {
    if (this.#entries.has(id)) return "duplicate";
    const entry: Entry = { state: "incoming", receivedAt: this.#now() };
    this.#entries.set(id, entry);
    try {
      await writeFileAtomic(this.#file("incoming", id), raw);
    } catch (error) {
      this.#entries.delete(id);
      throw error;
    }
    return "accepted";
  }

  /** The events waiting in `incoming/`, oldest first, with their retry records. */
  async pending(): Promise<PendingEvent[]> {
    const out: PendingEvent[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.state === "incoming")
        out.push({ id, receivedAt: entry.receivedAt, attempts: await this.attempts(id) });
    }
    return out.sort((a, b) => a.receivedAt - b.receivedAt || a.id.localeCompare(b.id));
  }

  async attempts(id: string): Promise<AttemptRecord> {
    try {
      return JSON.parse(await readFile(this.#attemptsFile(id), "utf8")) as AttemptRecord;
    } catch {
      return NO_ATTEMPTS;
    }
  }

  /** Reads a waiting event's bytes without claiming it. */
  async read(id: string): Promise<Buffer> {
    const state = this.stateOf(id);
    if (!state) throw new Error(`no event ${id} in the spool`);
    return readFile(this.#file(state, id));
  }

  /** Claims a waiting event for a worker: `incoming/` → `processing/`; gives its bytes. */
  async claim(id: string): Promise<Buffer> {
    await this.#move(id, "incoming", "processing");
    return readFile(this.#file("processing", id));
  }

  /** The event was processed: `processing/` → `done/`, its retry record and any old error removed. */
  async complete(id: string): Promise<void> {
    await this.#move(id, "processing", "done");
    await unlink(this.#attemptsFile(id)).catch(() => undefined);
    await unlink(this.#errorFile(id)).catch(() => undefined);
  }

  /** A clean stop cut the run short: the event waits in `incoming/` again, the try not counted. */
  async unclaim(id: string): Promise<void> {
    await this.#move(id, "processing", "incoming");
  }

  /** The event failed and will be tried again: its retry record is written, then it waits in `incoming/`. */
  async release(id: string, record: AttemptRecord): Promise<void> {
    await writeFileAtomic(this.#attemptsFile(id), JSON.stringify(record, null, 2) + "\n");
    await this.#move(id, "processing", "incoming");
  }

  /** The event is given up: the error file first (so a failed event always has its reason), then the event. */
  async fail(id: string, record: AttemptRecord): Promise<FailureRecord> {
    const failure: FailureRecord = { ...record, failedAt: new Date(this.#now()).toISOString() };
    delete failure.notBefore;
    await writeFileAtomic(this.#errorFile(id), JSON.stringify(failure, null, 2) + "\n");
    await this.#move(id, "processing", "failed");
    await unlink(this.#attemptsFile(id)).catch(() => undefined);
    return failure;
  }

  /** The recorded reason of a failed event. */
  async failure(id: string): Promise<FailureRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.#errorFile(id), "utf8")) as FailureRecord;
    } catch {
      return undefined;
    }
  }

  /** The most recent failure recorded in `failed/` (health after a restart). */
  async latestFailure(): Promise<{ id: string; at: string; message: string; final: true } | undefined> {
    let latest: { id: string; at: string; message: string; final: true } | undefined;
    for (const id of this.ids("failed")) {
      const record = await this.failure(id);
      if (!record || (latest && latest.at >= record.failedAt)) continue;
      latest = { id, at: record.failedAt, message: record.errors.at(-1)?.message ?? "", final: true };
    }
    return latest;
  }

  /**
   * Looks at the folders again for events this object does not know in that state (moved back from `failed/`
   * by `alma-rs serve-webhook --replay` while this process runs); gives the ids now waiting that were not.
   */
  async rescan(): Promise<string[]> {
    const found: string[] = [];
    for (const name of await readdir(this.#folder("incoming"))) {
      const id = EVENT_FILE.exec(name)?.[1];
      if (!id) continue;
      const entry = this.#entries.get(id);
      if (entry?.state === "incoming" || entry?.state === "processing") continue;
      const info = await stat(this.#file("incoming", id)).catch(() => undefined);
      if (!info) continue;
      this.#entries.set(id, { state: "incoming", receivedAt: entry?.receivedAt ?? info.mtimeMs });
      found.push(id);
    }
    return found;
  }

  /** Removes processed events older than `olderThanMs`: their ids no longer count as duplicates. */
  async pruneDone(olderThanMs: number): Promise<number> {
    const limit = this.#now() - olderThanMs;
    let removed = 0;
    for (const [id, entry] of [...this.#entries]) {
      if (entry.state !== "done") continue;
      const info = await stat(this.#file("done", id)).catch(() => undefined);
      if (info && info.mtimeMs >= limit) continue;
      await unlink(this.#file("done", id)).catch(() => undefined);
      this.#entries.delete(id);
      removed += 1;
    }
    return removed;
  }

  counts(): SpoolCounts {
    const counts: SpoolCounts = { incoming: 0, processing: 0, done: 0, failed: 0 };
    for (const entry of this.#entries.values()) {
      counts[entry.state] += 1;
      if (
        (entry.state === "incoming" || entry.state === "processing") &&
        (counts.oldestPendingAt === undefined || entry.receivedAt < counts.oldestPendingAt)
      ) {
        counts.oldestPendingAt = entry.receivedAt;
      }
    }
    return counts;
  }

  /** The ids in one state (tests, health). */
  ids(state: SpoolState): string[] {
    return [...this.#entries].filter(([, entry]) => entry.state === state).map(([id]) => id);
  }

  /**
   * Moves an event between folders without a folder fsync: only intake must survive a power cut before its
   * answer. A move lost that way leaves the event in an earlier folder, where it is still a known id (no
   * duplicate gets in) and is run again by the next start, and every job is idempotent.
   */
  async #move(id: string, from: SpoolState, to: SpoolState): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry?.state !== from)
      throw new Error(`event ${id} is not in ${from}/ (it is in ${entry?.state ?? "no folder"})`);
    await rename(this.#file(from, id), this.#file(to, id));
    entry.state = to;
  }

  async #removeTempFiles(): Promise<void> {
    for (const folder of [...SPOOL_FOLDERS, "attempts"]) {
      for (const name of await readdir(this.#folder(folder))) {
        if (name.startsWith(".") && name.endsWith(".tmp"))
          await unlink(path.join(this.#folder(folder), name));
      }
    }
  }

  async #index(): Promise<void> {
    // Later states win: an id found twice (a crash between two renames cannot do that, a hand copy can).
    for (const state of ["processing", "incoming", "failed", "done"] as const) {
      for (const name of await readdir(this.#folder(state))) {
        const id = EVENT_FILE.exec(name)?.[1];
        if (!id) continue;
        const info = await stat(this.#file(state, id)).catch(() => undefined);
        if (info) this.#entries.set(id, { state, receivedAt: info.mtimeMs });
      }
    }
  }

  #folder(name: string): string {
    return path.join(this.dir, name);
  }

  #file(state: SpoolState, id: string): string {
    return path.join(this.dir, state, `${id}.json`);
  }

  #attemptsFile(id: string): string {
    return path.join(this.dir, "attempts", `${id}.json`);
  }

  #errorFile(id: string): string {
    return path.join(this.dir, "failed", `${id}.error.json`);
  }
}

/**
 * `--replay`: moves every event of `failed/` back to `incoming/` with a fresh retry count (the error file stays
 * until the event succeeds or fails again). Works on the folders alone, so it can run beside a listener that is
 * then told (SIGHUP) to rescan. Gives the ids moved.
 */
export async function replayFailed(spoolDir: string): Promise<string[]> {
  const failed = path.join(spoolDir, "failed");
  const incoming = path.join(spoolDir, "incoming");
  await mkdir(incoming, { recursive: true });
  const names = await readdir(failed).catch(() => [] as string[]);
  const moved: string[] = [];
  for (const name of names) {
    const id = EVENT_FILE.exec(name)?.[1];
    if (!id) continue;
    await unlink(path.join(spoolDir, "attempts", `${id}.json`)).catch(() => undefined);
    await rename(path.join(failed, name), path.join(incoming, name));
    moved.push(id);
  }
  if (moved.length > 0) await fsyncDir(incoming);
  return moved;
}
