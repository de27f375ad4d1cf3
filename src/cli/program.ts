import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { LOG_LEVELS } from "../runtime/logger.js";
import { registerConfigCommand } from "./config-command.js";
import { registerCancelRequestCommand } from "./cancel-request-command.js";
import { registerScanInCommand } from "./scan-in-command.js";
import { registerServeWebhookCommand } from "./serve-webhook-command.js";
import { registerAlephItemsCommand } from "./aleph-items-command.js";
import { registerAspace2AlmaCommand } from "./aspace2alma-command.js";
import { registerSyncItemsCommand } from "./sync-items-command.js";
import { registerSendRequestsCommand } from "./send-requests-command.js";
import { registerSandboxCommand } from "./sandbox-command.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerDoctorCommand } from "./doctor-command.js";

function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** The alma-rs command line: global flags of the contract, then one registration per command. */
export function buildProgram(): Command {
  const program = new Command("alma-rs")
    .description(
      "Keeps Alma member institutions, the Shared Collection Facility, ArchivesSpace, Aleph and CaiaSoft in sync.",
    )
    .version(packageVersion(), "-V, --version")
    .option(
      "-c, --config <file>",
      "configuration file (default: CONFIG_FILE, then a search for .alma-rsrc* / conf.json)",
    )
    .addOption(
      new Option("--log-level <level>", "log level (default: LOG_LEVEL, config log.level)").choices(
        LOG_LEVELS,
      ),
    )
    .option(
      "--dry-run",
      "read everything, write nothing to Alma, CaiaSoft or the file servers; print what would be written",
    )
    .option("--json", "print the run summary as JSON on stdout")
    .option("-q, --quiet", "no progress display, errors only on stderr")
    .showHelpAfterError()
    // Before any command is registered: subcommands inherit it, so every usage error exits 2 (main.ts).
    .exitOverride()
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 some records failed (see the report), 2 usage or configuration error,\n" +
        "            3 aborted before finishing, 4 another run holds the lock.",
    );
  registerConfigCommand(program);
  registerScanInCommand(program);
  registerCancelRequestCommand(program);
  registerServeWebhookCommand(program);
  registerAlephItemsCommand(program);
  registerAspace2AlmaCommand(program);
  registerSyncItemsCommand(program);
  registerSendRequestsCommand(program);
  registerSandboxCommand(program);
  registerDemoCommand(program);
  registerDoctorCommand(program);
  return program;
}
