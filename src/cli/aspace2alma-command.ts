import type { Command } from "commander";
import { runAspace2Alma, type Aspace2AlmaOptions } from "../jobs/aspace2alma/job.js";
import { sourcesFromConfig } from "../jobs/aspace2alma/sources.js";
import { UsageError } from "../runtime/errors.js";
import { runJobCommand } from "./run-command.js";

/** `alma-rs aspace2alma [--output <file>] [--remove-stale]`: ArchivesSpace → MARC-XML → the file server. */
export function registerAspace2AlmaCommand(program: Command): void {
  program
    .command("aspace2alma")
    .description(
      "export ArchivesSpace collection records as MARC-XML with item fields and put them on the file server for Alma's import",
    )
    .option("--output <file>", "write the MARC-XML to this local file; rotate, upload and rename nothing")
    .option(
      "--remove-stale",
      "only remove the output from the file server, so Alma does not import it twice (days the export does not run)",
    )
    .action(async (options: Aspace2AlmaOptions, command: Command) => {
      await runJobCommand(
        command,
        (context) => {
          if (options.output && options.removeStale) {
            throw new UsageError("--output and --remove-stale cannot be used together");
          }
          return runAspace2Alma(context, options, sourcesFromConfig(context));
        },
        { lock: () => "aspace2alma" },
      );
    });
}
