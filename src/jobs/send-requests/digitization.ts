import type { RequestJson } from "./alma-port.js";
import { digitizationBody } from "./bodies.js";
import { cancelSourceRequest, REQUEST_SWITCHED } from "./cancel-source.js";
import { itemRequestComment, titleRequestComment } from "./comments.js";
import { isNotFound, kindOf } from "./error-kinds.js";
import { EndedSourceRequest, RequestFailure } from "./errors.js";
import {
  digitizationDepartment,
  earlierScfRequest,
  hasEnded,
  readSourceRequest,
  scfBibFor,
  scfItemFor,
  sourceRequestOf,
  systemUserFor,
} from "./lookups.js";
import { textOf } from "./physical.js";
import { alreadyPlaced, placeScfRequest } from "./place-request.js";
import type { Outcome, RequestDeps, RequestFacts } from "./request-deps.js";
import type { Route } from "./route.js";
import type { SourceRequest } from "./source-request.js";

/**
 * Seed 001 §7.6: the patron's digitization of an item becomes a digitization request of the SCF, for the patron as
 * a linked user of the SCF; then the member's request is cancelled as switched.
 */
export async function patronItemDigitization(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Outcome> {
  const route = "patron digitization (item)";
  const department = digitizationDepartment(deps);
  const { address, scfBarcode } = await scfItemFor(deps, request.barcode!);
  const target = `on SCF item ${scfBarcode}`;
  // Looked for before the source request: once switched, the source request is no longer there to read.
  const earlier = await earlierScfRequest(deps, request, { item: address });
  if (earlier) return switchSource(request, deps, facts, alreadyPlaced(route, earlier, target));
  const { sourceRequest } = await sourceRequestOf(request, deps, facts);
  const userId = await deps.linkedUsers.scfUserFor(patronOf(request, facts));
  const outcome = await placeDigitization(request, deps, {
    route,
    target,
    userId,
    department,
    sourceRequest,
    comment: itemRequestComment(request, request.requestNote ?? textOf(sourceRequest.comment)),
    create: (body) => deps.alma.scf.createItemRequest(address, userId, body),
  });
  return switchSource(request, deps, facts, outcome);
}

/** Seed 001 §7.7: as for an item, on the SCF's copy of the bib. */
export async function patronTitleDigitization(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Outcome> {
  const route = "patron digitization (title)";
  const department = digitizationDepartment(deps);
  // With the export's bib, the SCF is asked before the source request, which is gone once switched.
  let sourceRequest = request.mmsId ? undefined : (await sourceRequestOf(request, deps, facts)).sourceRequest;
  const scfBib = await scfBibFor(deps, request.mmsId ?? facts.mmsId!);
  const target = `on SCF bib ${scfBib.mms_id}`;
  const earlier = await earlierScfRequest(deps, request, { mmsId: scfBib.mms_id });
  if (earlier) return switchSource(request, deps, facts, alreadyPlaced(route, earlier, target));
  sourceRequest ??= (await sourceRequestOf(request, deps, facts)).sourceRequest;
  const userId = await deps.linkedUsers.scfUserFor(patronOf(request, facts));
  const outcome = await placeDigitization(request, deps, {
    route,
    target,
    userId,
    department,
    sourceRequest,
    comment: itemRequestComment(request, request.requestNote ?? textOf(sourceRequest.comment)),
    create: (body) => deps.alma.scf.createBibRequest(scfBib.mms_id, userId, body),
  });
  return switchSource(request, deps, facts, outcome);
}

/**
 * Seed 001 §7.8: staff digitization or a resource-sharing P2D shipment of an item, for the member library's system
 * user. The member's request stays: staff work it there.
 */
export async function staffItemDigitization(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Outcome> {
  const route = "staff digitization (item)";
  const department = digitizationDepartment(deps);
  const sourceRequest = await optionalSourceRequest(request, deps, facts);
  const { address, scfBarcode } = await scfItemFor(deps, request.barcode!);
  const target = `on SCF item ${scfBarcode}`;
  const earlier = await earlierScfRequest(deps, request, { item: address });
  if (earlier) return alreadyPlaced(route, earlier, target);
  const userId = await systemUserFor(request, deps);
  return placeDigitization(request, deps, {
    route,
    target,
    userId,
    department,
    sourceRequest,
    comment: itemRequestComment(request, request.requestNote ?? textOf(sourceRequest.comment)),
    create: (body) => deps.alma.scf.createItemRequest(address, userId, body),
  });
}

/** Seed 001 §7.9: as for an item, on the SCF's copy of the bib, tagged like a title-level hold. */
export async function staffTitleDigitization(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Outcome> {
  const route = "staff digitization (title)";
  const department = digitizationDepartment(deps);
  const sourceRequest = await optionalSourceRequest(request, deps, facts);
  const mmsId = facts.mmsId ?? request.mmsId;
  if (!mmsId) {
    throw new RequestFailure(
      `request ${request.requestId} names no bib, in the export or in ${deps.sourceInstitution}`,
    );
  }
  const scfBib = await scfBibFor(deps, mmsId);
  const target = `on SCF bib ${scfBib.mms_id}`;
  const earlier = await earlierScfRequest(deps, request, { mmsId: scfBib.mms_id });
  if (earlier) return alreadyPlaced(route, earlier, target);
  const userId = await systemUserFor(request, deps);
  return placeDigitization(request, deps, {
    route,
    target,
    userId,
    department,
    sourceRequest,
    comment: titleRequestComment(request, {
      sourceInstitution: deps.sourceInstitution,
      userPrimaryId: facts.userPrimaryId ?? request.patron.identifier,
      sourceComment: textOf(sourceRequest.comment),
    }),
    create: (body) => deps.alma.scf.createBibRequest(scfBib.mms_id, userId, body),
  });
}

/** Builds the SCF digitization request (seed §7.6 fields) and places it, unless an earlier run already did. */
function placeDigitization(
  request: SourceRequest,
  deps: RequestDeps,
  place: {
    route: Route;
    target: string;
    userId: string;
    department: string;
    sourceRequest: RequestJson;
    comment: string;
    create: (body: RequestJson) => Promise<RequestJson>;
  },
): Promise<Outcome> {
  const body = digitizationBody({
    userPrimaryId: place.userId,
    comment: place.comment,
    department: place.department,
    sourceRequest: place.sourceRequest,
    description: request.description,
  });
  return placeScfRequest(request, deps, {
    route: place.route,
    target: place.target,
    userId: place.userId,
    body,
    create: () => place.create(body),
  });
}

/** The patron whose linked user makes the request: the source request's, else the export's. */
function patronOf(request: SourceRequest, facts: RequestFacts): string {
  const patron = facts.userPrimaryId ?? request.patron.identifier;
  if (!patron) throw new RequestFailure(`request ${request.requestId} names no patron`);
  return patron;
}

/**
 * A staff request may have no user request behind it in the member (a resource-sharing shipment): its fields are
 * then the export's alone, which is not a failure.
 */
async function optionalSourceRequest(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<RequestJson> {
  try {
    return (await sourceRequestOf(request, deps, facts)).sourceRequest;
  } catch (error) {
    if (error instanceof EndedSourceRequest) throw error;
    if (!(error instanceof RequestFailure) && !isNotFound(error)) throw error;
    deps.logger.info(
      `request ${request.requestId}: no user request behind it in ${deps.sourceInstitution}; the export's fields are used`,
    );
    return {};
  }
}

/**
 * Seed 001 §7.6 step 7: once the SCF holds the digitization request, the member's request is cancelled with
 * `RequestSwitched`. A re-run that finds the SCF request already there switches it only if the member still has
 * it active (the earlier run stopped in between), so a repeated run cancels nothing twice. A refusal here is
 * reported, never answered by cancelling the patron's request as failed.
 */
async function switchSource(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
  outcome: Outcome,
): Promise<Outcome> {
  try {
    if (outcome.kind === "existing") {
      const sourceRequest = await readSourceRequest(request, deps, facts);
      if (!sourceRequest || hasEnded(sourceRequest)) return outcome;
    }
    await cancelSourceRequest(request, deps, facts, REQUEST_SWITCHED);
  } catch (error) {
    if (kindOf(error) !== "refused") throw error;
    const placed =
      outcome.kind === "created" || outcome.kind === "existing" ? ` ${outcome.scfRequestId}` : "";
    throw new RequestFailure(
      `the SCF request${placed} was made, but the source request could not be switched: ${(error as Error).message}`,
      { cancelSource: false, cause: error },
    );
  }
  return outcome;
}
