import { itemAddressOf, type CancelOptions } from "./alma-port.js";
import { isNotFound } from "./error-kinds.js";
import { RequestFailure } from "./errors.js";
import type { RequestDeps, RequestFacts } from "./request-deps.js";
import type { SourceRequest } from "./source-request.js";

/** Seed 001 §7.10: the SCF cannot fulfil the request; the patron is told. */
export const CANNOT_BE_FULFILLED: CancelOptions = {
  reason: "CannotBeFulfilled",
  note: "Request could not be fulfilled by the SCF.",
  notifyUser: true,
};

/** Seed 001 §7.4: the SCF's copy is out on loan. */
export const ITEM_ON_LOAN: CancelOptions = {
  reason: "CannotBeFulfilled",
  note: "Item is on loan",
  notifyUser: true,
};

/** Seed 001 §7.6 step 7: the SCF digitizes instead; the patron keeps waiting for the copy, so is not told. */
export const REQUEST_SWITCHED: CancelOptions = {
  reason: "RequestSwitched",
  note: "Request will be handled by the remote storage.",
  notifyUser: false,
};

/** What cancelling a source request came to: done now, only planned (--dry-run), or the member no longer had it. */
export interface Cancellation {
  result: "cancelled" | "planned" | "gone";
  /** For the report: `was cancelled (CannotBeFulfilled: …)`. */
  text: string;
}

/**
 * Cancels the request in the member institution: through its bib when the bib is known, else through its patron.
 * A request that is already gone is not cancelled again, and is not counted as cancelled.
 */
export async function cancelSourceRequest(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
  options: CancelOptions,
): Promise<Cancellation> {
  const mmsId = request.mmsId ?? facts.mmsId;
  const userId = facts.userPrimaryId ?? request.patron.identifier;
  const how = `${options.reason}${options.note ? `: ${options.note}` : ""}`;
  if (!mmsId && !userId) {
    throw new RequestFailure(
      `request ${request.requestId} cannot be cancelled in ${deps.sourceInstitution}: the export gives neither an MMS id nor a patron`,
      { cancelSource: false },
    );
  }
  const path = mmsId ? `bib ${mmsId}` : `patron ${userId}`;
  if (deps.dryRun) {
    deps.report.plan({
      action: "cancel source request",
      target: `${request.requestId} of ${deps.sourceInstitution} through ${path} (${how})`,
    });
    return { result: "planned", text: `would be cancelled (${how})` };
  }
  try {
    if (mmsId) await deps.source.cancelBibRequest(mmsId, request.requestId, options);
    else await deps.source.cancelUserRequest(userId!, request.requestId, options);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { result: "gone", text: `was already gone from ${deps.sourceInstitution}` };
  }
  deps.logger.info(
    `cancelled request ${request.requestId} of ${deps.sourceInstitution} through ${path} (${how})`,
  );
  return { result: "cancelled", text: `was cancelled (${how})` };
}

/**
 * The SCF's copy is on loan (seed 001 §7.4 step 3): the request is cancelled through the member's item, as the
 * reference app does, or through its bib or patron when the member item cannot be found.
 */
export async function cancelItemOnLoan(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Cancellation> {
  const memberItem = request.barcode ? await deps.source.findItem(request.barcode) : undefined;
  const address = memberItem && itemAddressOf(memberItem);
  if (!address) return cancelSourceRequest(request, deps, facts, ITEM_ON_LOAN);
  const how = `${ITEM_ON_LOAN.reason}: ${ITEM_ON_LOAN.note}`;
  if (deps.dryRun) {
    deps.report.plan({
      action: "cancel source request",
      target: `${request.requestId} of ${deps.sourceInstitution} on item ${request.barcode} (${how})`,
    });
    return { result: "planned", text: `would be cancelled (${how})` };
  }
  try {
    await deps.source.cancelItemRequest(address, request.requestId, ITEM_ON_LOAN);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { result: "gone", text: `was already gone from ${deps.sourceInstitution}` };
  }
  deps.logger.info(
    `cancelled request ${request.requestId} of ${deps.sourceInstitution}: the SCF's item is on loan`,
  );
  return { result: "cancelled", text: `was cancelled (${how})` };
}
