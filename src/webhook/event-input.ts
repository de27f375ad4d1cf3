import { readFile } from "node:fs/promises";
import type { CancelRequestInput } from "../jobs/cancel-request/job.js";
import { parseSourceRequestTag } from "../jobs/cancel-request/source-request-tag.js";
import { UsageError } from "../runtime/errors.js";
import type { Logger } from "../runtime/logger.js";
import { MalformedEventError, parseWebhookEvent, type WebhookEvent } from "./event.js";

const SOURCE_REQUEST = /\{Source Request [^}]*\}/;

/** The SCF barcode of a LOAN_RETURNED event, if it is one. */
export function scanInBarcodeOf(event: WebhookEvent): string | undefined {
  if (event.action !== "LOAN" || event.event?.value !== "LOAN_RETURNED") return undefined;
  return event.item_loan?.item_barcode || undefined;
}

/**
 * What a REQUEST_CANCELED event asks to cancel. A readable `{Source Request …}` in the comment names the source
 * request exactly and wins; otherwise the barcode leads to the item and all its requests. A tag that cannot be
 * read is reported to `logger` (never the comment itself: it may carry patron data).
 */
export function cancelInputOf(event: WebhookEvent, logger?: Logger): CancelRequestInput | undefined {
  if (event.action !== "REQUEST" || event.event?.value !== "REQUEST_CANCELED") return undefined;
  const comment = event.user_request?.comment;
  const barcode = event.user_request?.barcode || undefined;
  if (comment && parseSourceRequestTag(comment)) return { comment };
  if (comment && SOURCE_REQUEST.test(comment)) {
    logger?.warn(
      `REQUEST_CANCELED event ${event.id ?? "(no id)"}: its {Source Request …} tag cannot be read; ` +
        (barcode ? `cancelling by barcode ${barcode} instead` : "and it has no barcode"),
    );
  }
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
