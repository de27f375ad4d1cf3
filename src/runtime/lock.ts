import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink, writeFile } from "node:fs/promises";
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
    if (await createWhole(file, JSON.stringify(content))) {
      return { file, release: () => releaseLock(file) };
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

/**
 * Creates `file` holding `text`, or answers false when it exists. The text is written to a temp file first and
 * hard-linked into place, so no other process can ever read the lock empty or half-written and take it as
 * stale. Where the file system has no hard links, an exclusive create and write stands in.
 */
async function createWhole(file: string, text: string): Promise<boolean> {
  const temp = `${file}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    return createExclusive(file, text);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    await writeFile(file, text, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Removes the lock only while it still names this process (a lock taken over since is the new holder's). */
async function releaseLock(file: string): Promise<void> {
  const holder = await readLockHolder(file);
  if (holder && (holder.pid !== process.pid || holder.host !== hostname())) return;
  await unlink(file).catch(() => undefined);
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
