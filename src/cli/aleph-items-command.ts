import type { Command } from "commander";
import { JOB_NAME, runAlephItems } from "../jobs/aleph-items/job.js";
import { runJobCommand } from "./run-command.js";

/** `alma-rs aleph-items [--since <starttime>]`: Aleph's new and updated items → CaiaSoft. */
export function registerAlephItemsCommand(program: Command): void {
  program
    .command("aleph-items")
    .description(
      "send Aleph's new and updated items to CaiaSoft, one window per run, resuming where the last run stopped",
    )
    .option(
      "--since <starttime>",
      "sync the window from this Aleph timestamp (20200601 or 202006011300) instead of the checkpoint's; the checkpoint is left unchanged",
    )
    .action(async (options: { since?: string }, command: Command) => {
      await runJobCommand(command, (context) => runAlephItems(context, { since: options.since }), {
        lock: () => JOB_NAME,
      });
    });
}
