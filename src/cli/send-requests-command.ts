import type { Command } from "commander";
import { JOB_NAME } from "../jobs/send-requests/job.js";
import { sendRequests } from "../jobs/send-requests/run.js";
import { runJobCommand } from "./run-command.js";

interface SendRequestsFlags {
  institution: string;
  file?: string[];
}

/** `alma-rs send-requests --institution <code> [--file <xml>…]`: request exports → SCF requests. */
export function registerSendRequestsCommand(program: Command): void {
  program
    .command("send-requests")
    .description(
      "carry an institution's remote-storage request exports to the SCF as holds and digitization requests; " +
        "requests the SCF cannot fulfil are cancelled at the institution",
    )
    .requiredOption("--institution <code>", "the member institution whose exports are processed")
    .option(
      "--file <xml...>",
      "process these local export files instead of claiming the files in {main_folder}/{INST}/requests/",
    )
    .action(async (flags: SendRequestsFlags, command: Command) => {
      await runJobCommand(
        command,
        (context) => sendRequests(context, { institution: flags.institution, files: flags.file }),
        { lock: () => `${JOB_NAME}-${flags.institution}` },
      );
    });
}
