import type { Command } from "commander";
import { runCancelRequest, type CancelRequestInput } from "../jobs/cancel-request/job.js";
import { UsageError } from "../runtime/errors.js";
import { cancelInputOf, readEventFile } from "../webhook/event-input.js";
import { runJobCommand } from "./run-command.js";

interface CancelRequestFlags {
  barcode?: string;
  comment?: string;
  event?: string;
}

/** `alma-rs cancel-request --barcode <scf barcode> | --comment <text> | --event <file.json>`: seed 001 §5.4. */
export function registerCancelRequestCommand(program: Command): void {
  program
    .command("cancel-request")
    .description(
      "a request was cancelled in the SCF: cancel the request it was made for at the home institution",
    )
    .option("--barcode <scf barcode>", "cancel every active request on the home item of this SCF item")
    .option(
      "--comment <text>",
      "cancel the source request named by {Source Request INST-requestId-userId} in it",
    )
    .option("--event <file.json>", "a saved REQUEST_CANCELED webhook event (e.g. from the spool's failed/)")
    .action(async (flags: CancelRequestFlags, command: Command) => {
      await runJobCommand(command, async (context) => runCancelRequest(context, await inputOf(flags)));
    });
}

async function inputOf(flags: CancelRequestFlags): Promise<CancelRequestInput> {
  const given = [flags.barcode, flags.comment, flags.event].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new UsageError("cancel-request needs exactly one of --barcode, --comment and --event");
  }
  if (flags.barcode !== undefined) return { scfBarcode: flags.barcode };
  if (flags.comment !== undefined) return { comment: flags.comment };
  const input = cancelInputOf(await readEventFile(flags.event!));
  if (!input) {
    throw new UsageError(
      `${flags.event}: not a REQUEST_CANCELED event with a barcode or a {Source Request …} comment`,
    );
  }
  return input;
}
