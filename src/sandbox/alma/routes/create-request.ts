import { badRequest, invalidParameter, notFound, requireParameter } from "../alma-error.js";
import { booleanParameter, jsonBody, ok, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { IdPrefix, nextId } from "../ids.js";
import { findBib, findItem, findItemByPid, findLibrary, findUser, isActive } from "../lookup.js";
import { almaDate, renderRequest } from "../render.js";
import type {
  BibRecord,
  InstitutionState,
  ItemRecord,
  JsonObject,
  RequestRecord,
  UserRecord,
} from "../types.js";

export const REQUEST_TYPES = ["HOLD", "DIGITIZATION", "BOOKING"];

/** Fields Alma sets itself; a client's values for them are dropped. */
const SERVER_OWNED = [
  "request_id",
  "request_status",
  "user_primary_id",
  "mms_id",
  "item_id",
  "barcode",
  "title",
  "author",
  "request_date",
  "link",
];

function hasHomeAddress(user: UserRecord): boolean {
  return (user.contact_info?.address ?? []).some((address) =>
    address.address_type.some((type) => type.value.toLowerCase() === "home"),
  );
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "value" in value && typeof value.value === "string") {
    return value.value;
  }
  return undefined;
}

/** A HOLD needs somewhere to go: the patron's home address or a pickup library. */
function checkPickup(institution: InstitutionState, user: UserRecord, body: JsonObject): void {
  const pickupType = codeOf(body.pickup_location_type);
  if (!pickupType) throw invalidParameter("pickup_location_type");
  if (pickupType === "USER_HOME_ADDRESS" && !hasHomeAddress(user)) {
    throw badRequest(ErrorCodes.noPersonalAddress, "User does not have address for personal delivery.");
  }
  if (pickupType === "LIBRARY") {
    const library = codeOf(body.pickup_location_library);
    if (!library) throw invalidParameter("pickup_location_library");
    findLibrary(institution, library);
  }
}

interface Target {
  bib: BibRecord;
  item?: ItemRecord;
}

function createRequest(request: SimRequest, userId: string, target: Target): SimResponse {
  const { institution, query } = request;
  const user = findUser(institution, userId, query.get("user_id_type") ?? "all_unique");
  const body = jsonBody(request);
  const requestType = codeOf(body.request_type);
  if (!requestType || !REQUEST_TYPES.includes(requestType))
    throw invalidParameter("request_type", requestType);
  if (requestType === "HOLD") checkPickup(institution, user, body);

  const { bib, item } = target;
  if (!item && !institution.items.some((candidate) => candidate.mms_id === bib.mms_id)) {
    throw badRequest(ErrorCodes.noItemsCanFulfill, "No items can fulfill the submitted request.");
  }
  const holdingId = item?.holding_id ?? codeOf(body.holding_id);
  if (!item && holdingId) {
    const holding = institution.holdings.find((candidate) => candidate.holding_id === holdingId);
    if (holding?.mms_id !== bib.mms_id) {
      throw notFound(ErrorCodes.holdingNotValid, `Input parameters holdingId ${holdingId} is not valid.`);
    }
  }
  if (!booleanParameter(query, "allow_same_request", false)) {
    const duplicate = institution.requests.some(
      (existing) =>
        isActive(existing) &&
        existing.user_primary_id === user.primary_id &&
        existing.request_type === requestType &&
        existing.mms_id === bib.mms_id &&
        existing.item_id === item?.pid,
    );
    if (duplicate) {
      throw badRequest(
        ErrorCodes.duplicateRequest,
        "Failed to save the request: Patron has active request for selected item.",
      );
    }
  }
  const fields = Object.fromEntries(Object.entries(body).filter(([key]) => !SERVER_OWNED.includes(key)));
  delete fields.comment;
  const record: RequestRecord = {
    request_id: nextId(institution, IdPrefix.request),
    user_primary_id: user.primary_id,
    request_type: requestType,
    request_status: "NOT_STARTED",
    mms_id: bib.mms_id,
    ...(item ? { item_id: item.pid } : {}),
    ...(holdingId ? { holding_id: holdingId } : {}),
    ...(typeof body.comment === "string" ? { comment: body.comment } : {}),
    request_date: almaDate(request.now),
    fields,
  };
  institution.requests.push(record);
  return ok(renderRequest(institution, record), "user_request");
}

/** `POST /bibs/{mms}/holdings/{hol}/items/{pid}/requests?user_id=…&allow_same_request=…` */
export function createItemRequest(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  const bib = findBib(institution, item.mms_id);
  return createRequest(request, requireParameter(request.query, "user_id"), { bib, item });
}

/** `POST /bibs/{mms}/requests?user_id=…` — a title-level request. */
export function createTitleRequest(request: SimRequest): SimResponse {
  const bib = findBib(request.institution, request.params.mms_id ?? "");
  return createRequest(request, requireParameter(request.query, "user_id"), { bib });
}

/** `POST /users/{id}/requests?item_pid=…|mms_id=…` — the Users API form of the same. */
export function createUserRequest(request: SimRequest): SimResponse {
  const { institution, query } = request;
  const itemPid = query.get("item_pid");
  if (itemPid) {
    const item = findItemByPid(institution, itemPid);
    return createRequest(request, request.params.user_id ?? "", {
      bib: findBib(institution, item.mms_id),
      item,
    });
  }
  const bib = findBib(institution, requireParameter(query, "mms_id"));
  return createRequest(request, request.params.user_id ?? "", { bib });
}
