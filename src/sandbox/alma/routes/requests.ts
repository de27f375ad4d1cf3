import { invalidParameter } from "../alma-error.js";
import { booleanParameter, noContent, ok, type SimRequest, type SimResponse } from "../context.js";
import { findActiveRequest, findBib, findItem, findUser, isActive } from "../lookup.js";
import { listBody } from "../paging.js";
import { almaDateTime, renderRequest } from "../render.js";
import type { Route } from "../router.js";
import type { InstitutionState, RequestRecord } from "../types.js";
import { createItemRequest, createTitleRequest, createUserRequest } from "./create-request.js";

/** Codes of Alma's `RequestCancellationReasons` table the simulator accepts. */
export const CANCELLATION_REASONS = [
  "CannotBeFulfilled",
  "RequestSwitched",
  "PatronNotInterested",
  "CancelledAtPatronRequest",
  "ItemNotFound",
  "LibraryCancelled",
  "NoLongerNeeded",
  "Other",
];

/** `status=active` (default) or `history`, and an optional `request_type` filter. */
function filtered(request: SimRequest, records: RequestRecord[]): RequestRecord[] {
  const history = request.query.get("status") === "history";
  const type = request.query.get("request_type");
  return records.filter(
    (record) =>
      isActive(record) !== history && (type === null || type === "" || record.request_type === type),
  );
}

function list(request: SimRequest, records: RequestRecord[]): SimResponse {
  const { institution } = request;
  const rendered = filtered(request, records).map((record) => renderRequest(institution, record));
  return ok(listBody("user_request", rendered, request.query), "user_requests");
}

function itemOf(request: SimRequest): { institution: InstitutionState; pid: string } {
  const { institution, params } = request;
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  return { institution, pid: item.pid };
}

function listItemRequests(request: SimRequest): SimResponse {
  const { institution, pid } = itemOf(request);
  return list(
    request,
    institution.requests.filter((record) => record.item_id === pid),
  );
}

/** Title-level AND item-level requests of the bib. */
function listBibRequests(request: SimRequest): SimResponse {
  const bib = findBib(request.institution, request.params.mms_id ?? "");
  return list(
    request,
    request.institution.requests.filter((record) => record.mms_id === bib.mms_id),
  );
}

function listUserRequests(request: SimRequest): SimResponse {
  const user = findUser(request.institution, request.params.user_id ?? "");
  return list(
    request,
    request.institution.requests.filter((record) => record.user_primary_id === user.primary_id),
  );
}

/** The active request the path names (by item, bib or user). */
function target(request: SimRequest): RequestRecord {
  const { institution, params } = request;
  const requestId = params.request_id ?? "";
  if (params.item_pid !== undefined) {
    const { pid } = itemOf(request);
    return findActiveRequest(institution, requestId, (record) => record.item_id === pid);
  }
  if (params.user_id !== undefined) {
    const user = findUser(institution, params.user_id);
    return findActiveRequest(institution, requestId, (record) => record.user_primary_id === user.primary_id);
  }
  const bib = findBib(institution, params.mms_id ?? "");
  return findActiveRequest(institution, requestId, (record) => record.mms_id === bib.mms_id);
}

function getRequest(request: SimRequest): SimResponse {
  return ok(renderRequest(request.institution, target(request)), "user_request");
}

/** `DELETE …/requests/{id}?reason=…&note=…&notify_user=…`: the cancellation is kept on the request. */
function cancelRequest(request: SimRequest): SimResponse {
  const record = target(request);
  const reason = request.query.get("reason") || "CannotBeFulfilled";
  if (!CANCELLATION_REASONS.includes(reason)) throw invalidParameter("reason", reason);
  const note = request.query.get("note");
  record.request_status = "CANCELLED";
  record.cancellation = {
    reason,
    ...(note ? { note } : {}),
    notify_user: booleanParameter(request.query, "notify_user", true),
    time: almaDateTime(request.now),
  };
  const item = record.item_id
    ? request.institution.items.find((candidate) => candidate.pid === record.item_id)
    : undefined;
  if (item?.item_data.process_type?.value === "HOLDSHELF") delete item.item_data.process_type;
  return noContent();
}

const ITEM_REQUESTS = "/bibs/:mms_id/holdings/:holding_id/items/:item_pid/requests";

export const requestRoutes: Route[] = [
  { method: "POST", pattern: ITEM_REQUESTS, area: "bibs", handler: createItemRequest },
  { method: "GET", pattern: ITEM_REQUESTS, area: "bibs", handler: listItemRequests },
  { method: "GET", pattern: `${ITEM_REQUESTS}/:request_id`, area: "bibs", handler: getRequest },
  { method: "DELETE", pattern: `${ITEM_REQUESTS}/:request_id`, area: "bibs", handler: cancelRequest },
  { method: "POST", pattern: "/bibs/:mms_id/requests", area: "bibs", handler: createTitleRequest },
  { method: "GET", pattern: "/bibs/:mms_id/requests", area: "bibs", handler: listBibRequests },
  { method: "GET", pattern: "/bibs/:mms_id/requests/:request_id", area: "bibs", handler: getRequest },
  { method: "DELETE", pattern: "/bibs/:mms_id/requests/:request_id", area: "bibs", handler: cancelRequest },
  { method: "POST", pattern: "/users/:user_id/requests", area: "users", handler: createUserRequest },
  { method: "GET", pattern: "/users/:user_id/requests", area: "users", handler: listUserRequests },
  { method: "GET", pattern: "/users/:user_id/requests/:request_id", area: "users", handler: getRequest },
  {
    method: "DELETE",
    pattern: "/users/:user_id/requests/:request_id",
    area: "users",
    handler: cancelRequest,
  },
];
