import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { LockedError } from "./errors.js";

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

/** What a lock file says of its holder. */
export interface LockContent {
  pid: number;
  host: string;
  job: string;
  started: string;
}

/**
 * Takes the lock for one job (and institution): `{state_dir}/locks/{name}.lock` holding the pid.
 * A lock whose process is dead is taken over; a live one throws LockedError naming the holder.
 */
export async function acquireLock(stateDir: string, name: string): Promise<RunLock> {
  const dir = path.join(stateDir, "locks");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.lock`);
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    job: name,
    started: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(JSON.stringify(content));
      await handle.sync();
      await handle.close();
      return { file, release: () => unlink(file).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readLockHolder(file);
    // A lock from another host cannot be checked, so it counts as live.
    if (holder && (holder.host !== hostname() || isAlive(holder.pid))) {
      throw new LockedError(
        `${name} is already running (pid ${holder.pid}, since ${holder.started}); lock file ${file}`,
        holder.pid,
        file,
      );
    }
    // Stale: move it aside under a unique name so that two takers cannot both remove a fresh lock.
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    if (
      await rename(file, aside).then(
        () => true,
        () => false,
      )
    )
      await unlink(aside).catch(() => undefined);
  }
  throw new LockedError(`could not take the lock ${file}`, 0, file);
}

/** The holder a lock file names (a lock without `host` is taken as this host's); none when unreadable or gone. */
export async function readLockHolder(file: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<LockContent>;
    if (typeof parsed.pid !== "number") return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host ?? hostname(),
      job: parsed.job ?? "",
      started: parsed.started ?? "?",
    };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
