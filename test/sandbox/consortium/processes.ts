import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, runCli, type CliOptions, type CliResult } from "../../helpers/cli.js";

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Every file under a folder, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

let current: boolean | undefined;

/**
 * Whether `dist/` was built from the sources as they are (`npm run build` after the last change under src/):
 * then the tests run the built binary, as a user would; otherwise the sources through tsx, never a stale build.
 */
export function builtIsCurrent(): boolean {
  if (current !== undefined) return current;
  const main = path.join(repoRoot, "dist/cli/main.js");
  if (!existsSync(main) || !existsSync(path.join(repoRoot, "dist/cli/demo-command.js")))
    return (current = false);
  const built = statSync(main).mtimeMs;
  current = files(path.join(repoRoot, "src")).every((file) => statSync(file).mtimeMs <= built);
  return current;
}

/** alma-rs as a child process: the built binary when it is current, else the sources. */
export function almaRs(args: readonly string[], options: Omit<CliOptions, "built"> = {}): Promise<CliResult> {
  return runCli(args, { ...options, built: builtIsCurrent() });
}

function entry(): string[] {
  return builtIsCurrent()
    ? [path.join(repoRoot, "bin/alma-rs.js")]
    : ["--import", tsxLoader, path.join(repoRoot, "src/cli/main.ts")];
}

/** A long-running alma-rs child (`sandbox`): its output so far, and a way to stop it with a signal. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `text` has appeared on stdout (rejects if the process ends first or after `timeoutMs`). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startCli(args: readonly string[], options: { cwd?: string } = {}): RunningCli {
  const env = { ...process.env };
  delete env.CONFIG_FILE;
  delete env.LOG_LEVEL;
  const child = spawn(process.execPath, [...entry(), ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: async (text, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (ended) throw new Error(`alma-rs ended before printing "${text}": ${stderr}`);
        if (Date.now() > deadline) throw new Error(`no "${text}" after ${timeoutMs} ms: ${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async (signal = "SIGTERM") => {
      if (!ended) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
