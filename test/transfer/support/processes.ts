import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { access, constants, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

/** The first of `names` found executable in the usual system folders or on PATH. */
export async function findExecutable(...names: string[]): Promise<string | undefined> {
  const folders = [
    "/usr/sbin",
    "/usr/local/sbin",
    "/sbin",
    "/usr/bin",
    "/usr/local/bin",
    ...(process.env.PATH ?? "").split(path.delimiter),
  ];
  for (const name of names) {
    for (const folder of folders.filter(Boolean)) {
      const candidate = path.join(folder, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** A port that was free a moment ago (the daemon is given it; a clash is retried by the caller). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port; rejects when `child` exits first or time runs out. */
export async function waitForPort(
  port: number,
  child: ChildProcess,
  output: () => string,
  limitMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before listening: ${output().trim()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not listening on port ${port} after ${limitMs} ms: ${output().trim()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts a daemon in the foreground, keeping the tail of what it prints for error messages. */
export function startDaemon(binary: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => keep(Buffer.from(String(error))));
  // Should the test process end without its after() hooks (an interrupted run), the daemon goes with it.
  const killOnExit = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    for (const pid of [child.pid, ...descendants(child.pid)]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  return { child, output: () => text };
}

/**
 * Every process below `pid` (children, their children, …), read from /proc. Synchronous on purpose: a test that
 * cuts a server in the middle of a download calls it from a progress callback, and nothing may move meanwhile.
 */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat = "";
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const parent = Number(fields[1]);
    if (!Number.isFinite(parent)) continue;
    parents.set(parent, [...(parents.get(parent) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const walk = (of: number) => {
    for (const child of parents.get(of) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** SIGKILLs the processes given (ours only, by pid) at once, then waits until they are gone. */
export async function killAndWait(pids: number[], limitMs = 5000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline && (await Promise.all(pids.map(isRunning))).some(Boolean)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  if (!stat) return false;
  // A zombie has died; only its parent's wait is missing.
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

/**
 * Kills a daemon we started and everything it forked — the signals go out before this returns — and waits for
 * them to exit.
 */
export function killDaemon(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const killed = killAndWait([child.pid, ...descendants(child.pid)]);
  return Promise.all([
    killed,
    Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]),
  ]).then(() => undefined);
}
