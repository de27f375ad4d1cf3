import { badRequest, notFound } from "./alma-error.js";
import { ErrorCodes } from "./error-codes.js";
import type {
  BibRecord,
  HoldingRecord,
  InstitutionState,
  ItemRecord,
  LibraryRecord,
  RequestRecord,
  UserRecord,
} from "./types.js";

export function findBib(institution: InstitutionState, mmsId: string): BibRecord {
  const bib = institution.bibs.find((candidate) => candidate.mms_id === mmsId);
  if (!bib) throw notFound(ErrorCodes.bibNotValid, `Input parameters mmsId ${mmsId} is not valid.`);
  return bib;
}

export function findHolding(institution: InstitutionState, mmsId: string, holdingId: string): HoldingRecord {
  findBib(institution, mmsId);
  const holding = institution.holdings.find(
    (candidate) => candidate.holding_id === holdingId && candidate.mms_id === mmsId,
  );
  if (!holding) {
    throw notFound(ErrorCodes.holdingNotValid, `Input parameters holdingId ${holdingId} is not valid.`);
  }
  return holding;
}

export function findItem(
  institution: InstitutionState,
  mmsId: string,
  holdingId: string,
  pid: string,
): ItemRecord {
  findHolding(institution, mmsId, holdingId);
  const item = institution.items.find(
    (candidate) => candidate.pid === pid && candidate.holding_id === holdingId && candidate.mms_id === mmsId,
  );
  if (!item) {
    throw notFound(
      ErrorCodes.itemNotFound,
      `No items found for mmsId ${mmsId}, holdingId ${holdingId} and itemPid ${pid}.`,
    );
  }
  return item;
}

export function findItemByBarcode(institution: InstitutionState, barcode: string): ItemRecord {
  const item = institution.items.find((candidate) => candidate.item_data.barcode === barcode);
  if (!item) throw notFound(ErrorCodes.noItemForBarcode, `No items found for barcode ${barcode}.`);
  return item;
}

export function findItemByPid(institution: InstitutionState, pid: string): ItemRecord {
  const item = institution.items.find((candidate) => candidate.pid === pid);
  if (!item) throw notFound(ErrorCodes.itemNotFound, `No items found for itemPid ${pid}.`);
  return item;
}

function identifiersOf(user: UserRecord): string[] {
  return [user.primary_id, ...(user.user_identifier ?? []).map((identifier) => identifier.value)];
}

/** `user_id_type=all_unique` (Alma's default): the primary id or any identifier. */
export function findUser(institution: InstitutionState, userId: string, idType = "all_unique"): UserRecord {
  const user = institution.users.find((candidate) =>
    idType === "all_unique" || idType === ""
      ? identifiersOf(candidate).includes(userId)
      : idType === "primary_id"
        ? candidate.primary_id === userId
        : (candidate.user_identifier ?? []).some(
            (identifier) => identifier.id_type.value === idType && identifier.value === userId,
          ),
  );
  if (!user) {
    throw notFound(
      idType === "all_unique" ? ErrorCodes.userNotFound : ErrorCodes.userOfTypeNotFound,
      idType === "all_unique"
        ? `User with identifier ${userId} was not found.`
        : `User with identifier ${userId} of type ${idType} was not found.`,
    );
  }
  return user;
}

export function findLibrary(institution: InstitutionState, code: string): LibraryRecord {
  const library = institution.libraries.find((candidate) => candidate.code === code);
  if (!library) throw badRequest(ErrorCodes.libraryNotValid, `Library ${code} is not valid.`);
  return library;
}

export function requireLocation(library: LibraryRecord, code: string): void {
  if (!library.locations.some((location) => location.code === code)) {
    throw badRequest(
      ErrorCodes.locationNotValid,
      `Location ${code} is not valid for library ${library.code}.`,
    );
  }
}

export function requireCircDesk(institution: InstitutionState, libraryCode: string, desk: string): void {
  const library = findLibrary(institution, libraryCode);
  if (!library.circ_desks.includes(desk)) {
    throw badRequest(
      ErrorCodes.circDeskNotFound,
      `Pickup circulation desk with code ${desk} and library code ${libraryCode} was not found.`,
    );
  }
}

/** Active (not cancelled, not completed) requests only: Alma's default `status=active`. */
export function findActiveRequest(
  institution: InstitutionState,
  requestId: string,
  matches: (request: RequestRecord) => boolean = () => true,
): RequestRecord {
  const request = institution.requests.find(
    (candidate) => candidate.request_id === requestId && isActive(candidate) && matches(candidate),
  );
  if (!request)
    throw notFound(ErrorCodes.requestNotFound, "Failed to find a request for the given request ID.");
  return request;
}

export function isActive(request: RequestRecord): boolean {
  return request.request_status !== "CANCELLED" && request.request_status !== "COMPLETED";
}
