import { readFile } from "node:fs/promises";
import type { CancelRequestInput } from "../jobs/cancel-request/job.js";
import { UsageError } from "../runtime/errors.js";
import { MalformedEventError, parseWebhookEvent, type WebhookEvent } from "./event.js";

const SOURCE_REQUEST = /\{Source Request [^}]*\}/;

/** The SCF barcode of a LOAN_RETURNED event, if it is one. */
export function scanInBarcodeOf(event: WebhookEvent): string | undefined {
  if (event.action !== "LOAN" || event.event?.value !== "LOAN_RETURNED") return undefined;
  return event.item_loan?.item_barcode || undefined;
}

/**
 * What a REQUEST_CANCELED event asks to cancel. The comment's `{Source Request …}` names the source request
 * exactly and wins; the barcode only leads to the item and all its requests.
 */
export function cancelInputOf(event: WebhookEvent): CancelRequestInput | undefined {
  if (event.action !== "REQUEST" || event.event?.value !== "REQUEST_CANCELED") return undefined;
  const comment = event.user_request?.comment;
  if (comment && SOURCE_REQUEST.test(comment)) return { comment };
  const barcode = event.user_request?.barcode;
  return barcode ? { scfBarcode: barcode } : undefined;
}

/** `--event <file.json>`: a saved webhook event, read and parsed; a usage error when it is not one. */
export async function readEventFile(file: string): Promise<WebhookEvent> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read the event file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseWebhookEvent(raw);
  } catch (error) {
    if (error instanceof MalformedEventError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
