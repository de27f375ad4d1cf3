import { createAlmaClients, type AlmaClients } from "../../alma/create-alma-clients.js";
import { addressOf } from "../../alma/items.js";
import type { CancelRequestOptions } from "../../alma/requests.js";
import { UsageError } from "../../runtime/errors.js";
import { RunReport, type RunSummary } from "../../runtime/run-report.js";
import type { RunContext } from "../../runtime/run-context.js";
import { findHomeItem } from "../scan-in/home-item.js";
import { isTransient, RecordError } from "../scan-in/record-error.js";
import { originalBarcodeOf } from "../scan-in/scf-barcode.js";
import { parseSourceRequestTag, type SourceRequestTag } from "./source-request-tag.js";

export const JOB_NAME = "cancel-request";

/** The words the patron's institution records on the request it cancels (seed 001 §5.4.1). */
export const CANCEL_NOTE = "Remote storage cannot fulfill the request";
/** The RequestCancellationReasons code sent with the note. */
export const CANCEL_REASON = "CannotBeFulfilled";

/** A cancelled SCF request: by its item's barcode, or by the source-request tag of its comment. */
export type CancelRequestInput =
  { scfBarcode: string; comment?: undefined } | { comment: string; scfBarcode?: undefined };

export interface CancelRequestJobOptions {
  /** The Alma clients to use (the listener shares one set); default: made from the configuration. */
  alma?: AlmaClients;
}

const CANCEL: CancelRequestOptions = { reason: CANCEL_REASON, note: CANCEL_NOTE, notifyUser: true };

/**
 * `alma-rs cancel-request`: a request was cancelled in the SCF, so the request it was made for is cancelled in
 * the patron's institution (seed 001 §5.4). Two ways in:
 *
 * - by barcode: SCF item → provenance → home item → every active request on it, cancelled (none: nothing to do)
 * - by comment: `{Source Request INST-requestId-userId}` → the request read through its user → cancelled through
 *   its bib when it is a title-level request, through its user otherwise
 *
 * A request already cancelled (or gone) is not an error: a repeated event does nothing new.
 */
export async function runCancelRequest(
  context: RunContext,
  input: CancelRequestInput,
  options: CancelRequestJobOptions = {},
): Promise<RunSummary> {
  const { config, logger } = context;
  const report = new RunReport({
    job: JOB_NAME,
    reportName: "CancelRequest",
    reportFolder: config.report_file_folder,
    dryRun: context.dryRun,
    logger,
  });
  const alma = () => options.alma ?? createAlmaClients(config, logger, { signal: context.signal });
  if (input.scfBarcode !== undefined) {
    await cancelByBarcode(context, report, alma, input.scfBarcode.trim());
  } else if (input.comment !== undefined) {
    await cancelByComment(context, report, alma, input.comment);
  } else {
    throw new UsageError("cancel-request needs a barcode or a comment");
  }
  return report.finish();
}

async function cancelByBarcode(
  context: RunContext,
  report: RunReport,
  clients: () => AlmaClients,
  scfBarcode: string,
): Promise<void> {
  const { config, logger } = context;
  const barcode = originalBarcodeOf(scfBarcode);
  if (!barcode) {
    report.count("ignored");
    report.detail(
      "note",
      `barcode ${scfBarcode} does not end in X: not an SCF copy of a member item, ignored`,
    );
    logger.info(`cancel-request: barcode ${scfBarcode} does not end in X; ignored`);
    return;
  }
  try {
    const alma = clients();
    const home = await findHomeItem(alma, config, scfBarcode, barcode);
    const code = home.institution.code;
    report.detail("institution", code);
    const requests = alma.member(code).requests;
    const address = addressOf(home.item);
    const active = await requests.listItemRequests(address);
    if (active.length === 0) {
      report.count("no request to cancel");
      logger.info(`cancel-request: no active request on ${barcode} in ${code}; nothing to do`);
    }
    for (const request of active) {
      const requestId = request.request_id;
      if (!requestId) continue;
      if (context.dryRun) {
        report.plan({
          action: "cancel request",
          target: `${code} request ${requestId} on ${barcode}`,
          detail: CANCEL,
        });
        continue;
      }
      try {
        await requests.cancelItemRequest(address, requestId, CANCEL);
        report.count("cancelled");
        logger.info(`cancel-request: request ${requestId} on ${barcode} cancelled in ${code}`);
      } catch (error) {
        if (!isGone(error)) throw error;
        // Cancelled between the list and the cancel (by a parallel delivery, or by staff).
        report.count("already cancelled");
      }
    }
    report.detail("alma_api_remaining", alma.budget.summary());
  } catch (error) {
    recordError(report, error, { barcode });
  }
}

async function cancelByComment(
  context: RunContext,
  report: RunReport,
  clients: () => AlmaClients,
  comment: string,
): Promise<void> {
  const { config, logger } = context;
  const tag = parseSourceRequestTag(comment);
  if (!tag) {
    report.count("ignored");
    report.detail("note", "the comment has no readable {Source Request INST-requestId-userId}; ignored");
    logger.info("cancel-request: the comment has no readable {Source Request …} tag; ignored");
    return;
  }
  report.detail("institution", tag.institution);
  try {
    if (!config.institutions.some((candidate) => candidate.code === tag.institution)) {
      throw new RecordError(
        "find source institution",
        `source request ${tag.requestId} comes from ${tag.institution}, which is not in institutions[]`,
      );
    }
    const alma = clients();
    await cancelSourceRequest(context, report, alma, tag);
    report.detail("alma_api_remaining", alma.budget.summary());
  } catch (error) {
    recordError(report, error, { record: `${tag.institution} request ${tag.requestId}` });
  }
}

/** The request read through its user: a title-level one (no item) is cancelled through its bib. */
async function cancelSourceRequest(
  context: RunContext,
  report: RunReport,
  alma: AlmaClients,
  tag: SourceRequestTag,
): Promise<void> {
  const { logger } = context;
  const requests = alma.member(tag.institution).requests;
  const request = await requests.getUserRequest(tag.userId, tag.requestId);
  if (!request) {
    report.count("already cancelled");
    // Alma lists no ended request here: a typo in a request id by hand ends up here too, hence the note.
    report.detail(
      "note",
      `request ${tag.requestId} is not an active request in ${tag.institution} ` +
        "(cancelled already, or no such request): nothing to do",
    );
    logger.info(
      `cancel-request: request ${tag.requestId} is no longer active in ${tag.institution}; nothing to do`,
    );
    logger.debug(`cancel-request: looked it up through user ${tag.userId}`);
    return;
  }
  const titleLevel = !request.item_id && Boolean(request.mms_id);
  const path = titleLevel
    ? `bibs/${request.mms_id}/requests/${tag.requestId}`
    : `users/…/requests/${tag.requestId}`;
  if (context.dryRun) {
    report.plan({ action: "cancel request", target: `${tag.institution} ${path}`, detail: CANCEL });
    return;
  }
  try {
    if (titleLevel) await requests.cancelBibRequest(request.mms_id!, tag.requestId, CANCEL);
    else await requests.cancelUserRequest(tag.userId, tag.requestId, CANCEL);
    report.count("cancelled");
    logger.info(
      `cancel-request: request ${tag.requestId} cancelled in ${tag.institution} (${titleLevel ? "title level" : "through its user"})`,
    );
  } catch (error) {
    if (!isGone(error)) throw error;
    report.count("already cancelled");
  }
}

/** Alma says the request is not there (any more). */
function isGone(error: unknown): boolean {
  return (error as { isNotFound?: boolean } | undefined)?.isNotFound === true;
}

function recordError(report: RunReport, error: unknown, what: { barcode?: string; record?: string }): void {
  const message = (error as Error).message ?? String(error);
  if (isTransient(error)) {
    report.abort(message);
    return;
  }
  report.fail({ ...what, step: error instanceof RecordError ? error.step : "cancel request", message });
}
