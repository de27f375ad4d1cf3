import { holdBody, titleHoldBody } from "./bodies.js";
import { cancelItemOnLoan } from "./cancel-source.js";
import { itemRequestComment, titleRequestComment } from "./comments.js";
import { EndedSourceRequest } from "./errors.js";
import {
  earlierScfRequest,
  scfBibFor,
  scfHoldingFor,
  scfItemFor,
  sourceRequestOf,
  systemUserFor,
} from "./lookups.js";
import { alreadyPlaced, placeScfRequest } from "./place-request.js";
import type { Outcome, RequestDeps, RequestFacts } from "./request-deps.js";
import type { SourceRequest } from "./source-request.js";

/**
 * Seed 001 §7.4: a hold on the SCF's copy of the item for the member library's system user; when that copy is
 * on loan, the source request is cancelled instead ("Item is on loan"). The member's request is read first: one
 * the member has ended, or no longer has, is reported and left alone (ADR 0008).
 */
export async function itemHold(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Outcome> {
  const route = "item hold";
  const { item, address, scfBarcode } = await scfItemFor(deps, request.barcode!);
  const target = `on SCF item ${scfBarcode}`;
  const earlier = await earlierScfRequest(deps, request, { item: address });
  if (earlier) return alreadyPlaced(route, earlier, target);
  await learnMemberBib(request, deps, facts);
  await sourceRequestOf(request, deps, facts);
  if (item.item_data.process_type?.value === "LOAN") {
    const cancellation = await cancelItemOnLoan(request, deps, facts);
    if (cancellation.result === "gone") {
      throw new EndedSourceRequest(
        `SCF item ${scfBarcode} is on loan, but request ${request.requestId} ${cancellation.text}: nothing placed`,
      );
    }
    return {
      kind: "cancelled",
      route,
      why: `SCF item ${scfBarcode} is on loan; the source request ${cancellation.text}`,
      planned: cancellation.result === "planned",
    };
  }
  const userId = await systemUserFor(request, deps);
  const body = holdBody(userId, itemRequestComment(request));
  return placeScfRequest(request, deps, {
    route,
    target,
    userId,
    body,
    create: () => deps.alma.scf.createItemRequest(address, userId, body),
  });
}

/**
 * An item request whose export names neither its bib nor its patron is read through the bib of the member's item
 * with that barcode.
 */
async function learnMemberBib(request: SourceRequest, deps: RequestDeps, facts: RequestFacts): Promise<void> {
  if (request.mmsId || request.patron.identifier || facts.mmsId) return;
  const mmsId = (await deps.source.findItem(request.barcode!))?.bib_data?.mms_id;
  if (mmsId) facts.mmsId = mmsId;
}

/**
 * Seed 001 §7.5: a title-level hold on the SCF's copy of the bib, narrowed like the source request (description,
 * volume, issue, …; attached to the SCF holding when the patron typed a manual description), with the
 * `{Source Request …}` tag that lets a cancellation in the SCF reach the member.
 */
export async function titleHold(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<Outcome> {
  const route = "title hold";
  const { sourceRequest, mmsId } = await sourceRequestOf(request, deps, facts);
  const scfBib = await scfBibFor(deps, mmsId);
  const target = `on SCF bib ${scfBib.mms_id}`;
  const earlier = await earlierScfRequest(deps, request, { mmsId: scfBib.mms_id });
  if (earlier) return alreadyPlaced(route, earlier, target);
  const userId = await systemUserFor(request, deps);
  const manualDescription = textOf(sourceRequest.manual_description);
  const holdingId = manualDescription ? await scfHoldingFor(deps, scfBib.mms_id) : undefined;
  const comment = titleRequestComment(request, {
    sourceInstitution: deps.sourceInstitution,
    userPrimaryId: facts.userPrimaryId ?? request.patron.identifier,
    sourceComment: textOf(sourceRequest.comment),
    manualDescription,
  });
  const body = titleHoldBody({
    userPrimaryId: userId,
    comment,
    description: request.description ?? textOf(sourceRequest.description),
    manualDescription,
    holdingId,
    sourceRequest,
  });
  return placeScfRequest(request, deps, {
    route,
    target,
    userId,
    body,
    create: () => deps.alma.scf.createBibRequest(scfBib.mms_id, userId, body),
  });
}

/** A JSON field that should be text: anything else (absent, null, a number, blank) reads as absent. */
export function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
