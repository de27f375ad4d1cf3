import type { Command } from "commander";
import { syncItems } from "../jobs/sync-items/index.js";
import { runJobCommand } from "./run-command.js";

/** `alma-rs sync-items --institution <code> [--file <tar.gz|xml>…]`: member items → the SCF (seed 001 §6). */
export function registerSyncItemsCommand(program: Command): void {
  program
    .command("sync-items")
    .description(
      "mirror a member institution's remote-storage items into the SCF from its publishing files (claimed from the file server)",
    )
    .requiredOption("-i, --institution <code>", "member institution code (institutions[].code)")
    .option(
      "-f, --file <path...>",
      "process these local publishing files (tar.gz or MARC-XML) instead of the file server's",
    )
    .action(async (options: { institution: string; file?: string[] }, command: Command) => {
      await runJobCommand(
        command,
        (context) => syncItems(context, { institution: options.institution, files: options.file }),
        { lock: () => `sync-items-${options.institution}` },
      );
    });
}
