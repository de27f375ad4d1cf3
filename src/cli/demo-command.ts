import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { runDemo } from "../jobs/demo/run-demo.js";
import { ExitCode } from "../runtime/exit-codes.js";
import { globalOptions } from "./global-options.js";

interface DemoFlags {
  dir?: string;
}

/** `alma-rs demo`: the sandbox and every job against it, with an account; exit 0 when all went as expected. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "start the sandbox in this process and run every job against it in the order of the daily schedule, " +
        "printing what each did; exit 0 when the simulators show everything happened as expected, else 1",
    )
    .option("--dir <folder>", "the sandbox's folder, kept afterwards (default: a new temp folder)")
    .action(async (flags: DemoFlags, command: Command) => {
      const global = globalOptions(command);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        if (global.dryRun) {
          process.stderr.write(
            "alma-rs: demo does not take --dry-run: it writes only to its own simulators\n",
          );
          process.exitCode = ExitCode.Usage;
          return;
        }
        const dir = flags.dir
          ? path.resolve(flags.dir)
          : await mkdtemp(path.join(os.tmpdir(), "alma-rs-demo-"));
        const result = await runDemo({
          dir,
          write: (text) => {
            if (!global.quiet && !global.json) process.stdout.write(text);
          },
          ...(global.logLevel ? { logLevel: global.logLevel } : {}),
          signal: controller.signal,
        });
        if (global.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        else if (global.quiet && !result.ok) {
          process.stderr.write(`alma-rs demo: ${result.failed.length} checks failed:\n`);
          for (const what of result.failed) process.stderr.write(`  ✘ ${what}\n`);
        }
        process.exitCode = result.ok ? ExitCode.Done : ExitCode.SomeFailed;
      } catch (error) {
        process.stderr.write(`alma-rs: demo: ${(error as Error).message}\n`);
        process.exitCode = ExitCode.Aborted;
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });
}
