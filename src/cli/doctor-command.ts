import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { formatDoctorReport } from "../jobs/doctor/format.js";
import { runDoctor } from "../jobs/doctor/job.js";
import { ExitCode } from "../runtime/exit-codes.js";
import { closeLogger, createLogger, type Logger } from "../runtime/logger.js";
import { Redactor } from "../runtime/redactor.js";
import { globalOptions } from "./global-options.js";
import { fetchRemoteConfig } from "./remote-config.js";
import { reportError } from "./run-command.js";

/** `alma-rs doctor`: checks a configuration against the real services; exit 0 all ✔, 1 any ✘, 2 config error. */
export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description(
      "check a configuration against the real services: Alma API keys and job ids, the SCF's system users, " +
        "the file server and its folders, ArchivesSpace, Aleph, CaiaSoft; prints a fix for each ✘",
    )
    .action(async (_options: unknown, command: Command) => {
      const flags = globalOptions(command);
      let logger: Logger | undefined;
      try {
        const loaded = await loadConfig({ configPath: flags.config, fetchRemote: fetchRemoteConfig });
        // The checks' own answers are the output; the log only says more when asked (--log-level).
        const redactor = new Redactor(loaded.secrets);
        logger = createLogger({ level: flags.logLevel ?? "error", redactor });
        for (const warning of loaded.warnings) logger.warn(`configuration ${loaded.source}: ${warning}`);
        const found = await runDoctor(loaded.config, logger);
        // An answer quoted in a detail could echo a secret: the printout goes through the log's redactor.
        const report = {
          ...found,
          checks: found.checks.map((check) => redactor.value(check) as typeof check),
        };
        if (flags.json) {
          process.stdout.write(JSON.stringify({ source: loaded.source, ...report }, null, 2) + "\n");
        } else if (!flags.quiet || !report.ok) {
          process.stdout.write(formatDoctorReport(report, loaded.source));
        }
        process.exitCode = report.ok ? ExitCode.Done : ExitCode.SomeFailed;
      } catch (error) {
        process.exitCode = reportError(error, logger);
      } finally {
        if (logger) await closeLogger(logger);
      }
    });
}
