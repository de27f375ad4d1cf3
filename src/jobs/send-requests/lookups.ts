import {
  itemAddressOf,
  type BibJson,
  type ItemAddress,
  type ItemJson,
  type RequestJson,
  type RequestListStatus,
} from "./alma-port.js";
import { madeForSourceRequest } from "./comments.js";
import { kindOf } from "./error-kinds.js";
import { EndedSourceRequest, RequestFailure } from "./errors.js";
import type { RequestDeps, RequestFacts } from "./request-deps.js";
import type { SourceRequest } from "./source-request.js";

/** Seed 001 §11: an SCF item's barcode is the member's barcode with "X" appended. */
export function scfBarcodeOf(barcode: string): string {
  return `${barcode}X`;
}

/** The SCF copy of the requested item, with the ids of its path. */
export async function scfItemFor(
  deps: RequestDeps,
  barcode: string,
): Promise<{ item: ItemJson; address: ItemAddress; scfBarcode: string }> {
  const scfBarcode = scfBarcodeOf(barcode);
  const item = await deps.alma.scf.findItem(scfBarcode);
  if (!item) throw new RequestFailure(`item ${scfBarcode} is not in the SCF`);
  const address = itemAddressOf(item);
  if (!address)
    throw new RequestFailure(`the SCF answered item ${scfBarcode} without its bib, holding or item id`);
  return { item, address, scfBarcode };
}

/**
 * The request as the member institution holds it: through its bib when the export names one (or one is known),
 * else through the patron. Fills in the facts the failure path needs (the bib, the patron). A request the member
 * does not have, or that has ended, is reported and left alone (ADR 0008).
 */
export async function sourceRequestOf(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<{ sourceRequest: RequestJson; mmsId: string }> {
  const { sourceInstitution } = deps;
  const sourceRequest = await readSourceRequest(request, deps, facts);
  if (!sourceRequest) {
    // Cancelling it would go the same way and find nothing either.
    throw new RequestFailure(
      `request ${request.requestId} is not in ${sourceInstitution} (cancelled meanwhile?)`,
      { cancelSource: false },
    );
  }
  if (hasEnded(sourceRequest)) {
    throw new EndedSourceRequest(
      `request ${request.requestId} of ${sourceInstitution} is no longer active ` +
        `(${String(sourceRequest.request_status)}): nothing placed`,
    );
  }
  const mmsId = request.mmsId ?? facts.mmsId ?? sourceRequest.mms_id;
  if (sourceRequest.user_primary_id) facts.userPrimaryId = sourceRequest.user_primary_id;
  if (!mmsId) throw new RequestFailure(`request ${request.requestId} of ${sourceInstitution} names no bib`);
  facts.mmsId = mmsId;
  return { sourceRequest, mmsId };
}

/**
 * The member's request read through its bib, else its patron; `undefined` when the member does not have it. A
 * read the member refuses is a problem of ours to report, never a reason to cancel the patron's request.
 */
export async function readSourceRequest(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<RequestJson | undefined> {
  const { source, sourceInstitution } = deps;
  const mmsId = request.mmsId ?? facts.mmsId;
  const patron = request.patron.identifier;
  if (!mmsId && !patron) {
    throw new RequestFailure(
      `the export gives neither an MMS id nor a patron identifier: request ${request.requestId} cannot be read in ${sourceInstitution}`,
      { cancelSource: false },
    );
  }
  try {
    return mmsId
      ? await source.getBibRequest(mmsId, request.requestId)
      : await source.getUserRequest(patron!, request.requestId);
  } catch (error) {
    if (kindOf(error) !== "refused") throw error;
    throw new RequestFailure(
      `request ${request.requestId} cannot be read in ${sourceInstitution}: ${(error as Error).message}`,
      { cancelSource: false, cause: error },
    );
  }
}

/**
 * The SCF's copy of a member bib: by its Network Zone id, else by the other system id `(INST)mmsId` that
 * sync-items gives the bibs it creates from a local record.
 */
export async function scfBibFor(deps: RequestDeps, mmsId: string): Promise<BibJson> {
  const { source, sourceInstitution } = deps;
  const bib = await source.getBib(mmsId);
  if (!bib) throw new RequestFailure(`bib ${mmsId} is not in ${sourceInstitution}`);
  const nzMmsId = networkZoneIdOf(bib.network_number ?? []);
  const otherSystemId = `(${sourceInstitution})${mmsId}`;
  const scfBib =
    (nzMmsId ? await deps.alma.scf.findBibByNzId(nzMmsId) : undefined) ??
    (await deps.alma.scf.findBibByOtherSystemId(otherSystemId));
  if (!scfBib) {
    throw new RequestFailure(
      `bib ${mmsId} of ${sourceInstitution} is not in the SCF (${nzMmsId ? `NZ id ${nzMmsId}, ` : ""}other system id ${otherSystemId})`,
    );
  }
  return scfBib;
}

/** The Network Zone id of a bib: the first `network_number` with `EXLNZ`, without its `(EXLNZ-…)` prefix. */
export function networkZoneIdOf(networkNumbers: readonly string[]): string | undefined {
  const value = networkNumbers.find((number) => number.includes("EXLNZ"));
  return value?.replace(/^\(EXLNZ[^)]*\)/, "").trim() || undefined;
}

/**
 * The SCF holding a title-level request with a manual description is attached to: the one in the holding
 * library and location, else the only one in the holding library, else the bib's only holding.
 */
export async function scfHoldingFor(deps: RequestDeps, scfMmsId: string): Promise<string | undefined> {
  const holdings = await deps.alma.scf.listHoldings(scfMmsId);
  const { holdingLibrary, holdingLocation } = deps.settings;
  const inLibrary = holdings.filter((holding) => holding.library?.value === holdingLibrary);
  const chosen =
    inLibrary.find((holding) => holding.location?.value === holdingLocation) ??
    (inLibrary.length === 1 ? inLibrary[0] : undefined) ??
    (holdings.length === 1 ? holdings[0] : undefined);
  return chosen?.holding_id;
}

const ENDED = new Set(["CANCELLED", "CANCELED", "HISTORY", "COMPLETED"]);

/** The member or the SCF has ended the request (cancelled, fulfilled). */
export function hasEnded(request: RequestJson): boolean {
  return ENDED.has(String(request.request_status ?? "").toUpperCase());
}

/** Where an SCF request sits: on the SCF's item, or on its bib for a title-level request. */
export type ScfRequestPlace = { item: ItemAddress } | { mmsId: string };

/**
 * The SCF request an earlier run made for this source request, if any, so that re-running a file creates
 * nothing new. An active one first; else one the SCF already ended (fulfilled, cancelled), which is just as
 * placed: without it, a kept file run again after the SCF lent the item out would cancel the patron's request
 * as "on loan", or place the request a second time.
 */
export async function earlierScfRequest(
  deps: RequestDeps,
  request: SourceRequest,
  place: ScfRequestPlace,
): Promise<RequestJson | undefined> {
  const madeForThis = (candidate: RequestJson) =>
    madeForSourceRequest(candidate.comment, deps.sourceInstitution, request.requestId);
  const active = await scfRequestsAt(deps, place, "active");
  const earlier = active.find((candidate) => !hasEnded(candidate) && madeForThis(candidate));
  if (earlier) return earlier;
  return (await scfRequestsAt(deps, place, "history")).find(madeForThis);
}

function scfRequestsAt(
  deps: RequestDeps,
  place: ScfRequestPlace,
  status: RequestListStatus,
): Promise<RequestJson[]> {
  return "item" in place
    ? deps.alma.scf.listItemRequests(place.item, status)
    : deps.alma.scf.listBibRequests(place.mmsId, status);
}

/** Seed 001 §12: the member library's system user in the SCF, `{INST}-{LIB}`. */
export async function systemUserFor(request: SourceRequest, deps: RequestDeps): Promise<string> {
  const pickup = await deps.pickupLibraries.resolve(request, deps.sourceInstitution);
  if (!pickup.library) {
    throw new RequestFailure(
      `no pickup library for ${pickup.institution}: the export has no libraryCode` +
        (request.pickupLibraryName
          ? `, "${request.pickupLibraryName}" is not a library name of ${pickup.institution}`
          : "") +
        ` and ${pickup.institution} has no default_library in the configuration`,
      { cancelSource: false },
    );
  }
  deps.logger.debug(`request ${request.requestId}: pickup library ${pickup.library} (from ${pickup.how})`);
  return `${pickup.institution}-${pickup.library}`;
}

/** `remote_storage_digitization_department`, without which no digitization request can be made. */
export function digitizationDepartment(deps: RequestDeps): string {
  const department = deps.settings.digitizationDepartment;
  if (!department) {
    throw new RequestFailure(
      "remote_storage_digitization_department is not set in the configuration: no digitization request can be made",
      { cancelSource: false },
    );
  }
  return department;
}
