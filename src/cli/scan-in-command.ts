import type { Command } from "commander";
import { runScanIn } from "../jobs/scan-in/job.js";
import { UsageError } from "../runtime/errors.js";
import { readEventFile, scanInBarcodeOf } from "../webhook/event-input.js";
import { runJobCommand } from "./run-command.js";

interface ScanInFlags {
  barcode?: string;
  event?: string;
}

/** `alma-rs scan-in --barcode <scf barcode> | --event <file.json>`: seed 001 §5.3 by hand. */
export function registerScanInCommand(program: Command): void {
  program
    .command("scan-in")
    .description("an SCF loan was returned: scan the item in at its home institution's library and desk")
    .option("--barcode <scf barcode>", "the SCF item's barcode (the home barcode followed by X)")
    .option("--event <file.json>", "a saved LOAN_RETURNED webhook event (e.g. from the spool's failed/)")
    .action(async (flags: ScanInFlags, command: Command) => {
      await runJobCommand(command, async (context) =>
        runScanIn(context, { scfBarcode: await barcodeOf(flags) }),
      );
    });
}

async function barcodeOf(flags: ScanInFlags): Promise<string> {
  if ((flags.barcode === undefined) === (flags.event === undefined)) {
    throw new UsageError("scan-in needs exactly one of --barcode <scf barcode> and --event <file.json>");
  }
  if (flags.barcode !== undefined) return flags.barcode;
  const barcode = scanInBarcodeOf(await readEventFile(flags.event!));
  if (!barcode) throw new UsageError(`${flags.event}: not a LOAN_RETURNED event with item_loan.item_barcode`);
  return barcode;
}
