import { badRequest, requireParameter } from "../alma-error.js";
import { booleanParameter, jsonBody, noContent, ok, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { IdPrefix, nextId } from "../ids.js";
import { findHolding, findItem, findItemByBarcode, isActive } from "../lookup.js";
import { listBody } from "../paging.js";
import { almaDate, almaDateTime, renderItem } from "../render.js";
import type { Route } from "../router.js";
import type { InstitutionState, ItemRecord, JsonObject } from "../types.js";

/** Fields Alma computes: a client's values for them are ignored (the holding decides library/location). */
const SERVER_OWNED_ITEM_FIELDS = [
  "pid",
  "library",
  "location",
  "process_type",
  "base_status",
  "requested",
  "creation_date",
  "modification_date",
];
const DERIVED_HOLDING_FIELDS = ["link", "holding_id", "call_number"];
const ENTITY_KEYS = ["link", "bib_data", "holding_data", "item_data"];

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function without(source: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(source).filter(([key]) => !keys.includes(key)));
}

function barcodeOf(itemData: JsonObject): string {
  const barcode = itemData.barcode;
  if (barcode === undefined || barcode === null) return "";
  if (typeof barcode !== "string")
    throw badRequest(ErrorCodes.invalidBody, "item_data.barcode must be a string.");
  return barcode.trim();
}

function requireUniqueBarcode(institution: InstitutionState, barcode: string, pid?: string): void {
  if (barcode === "") return;
  const other = institution.items.find((item) => item.item_data.barcode === barcode && item.pid !== pid);
  if (other) throw badRequest(ErrorCodes.barcodeExists, `Barcode ${barcode} already exists.`);
}

/** The client's item body, split into what the simulator stores. */
function readItemBody(request: SimRequest): {
  itemData: JsonObject;
  holdingData: JsonObject;
  extra: JsonObject;
} {
  const body = jsonBody(request);
  if (!isObject(body.item_data)) throw badRequest(ErrorCodes.invalidBody, "The item has no item_data.");
  return {
    itemData: without(body.item_data, SERVER_OWNED_ITEM_FIELDS),
    holdingData: isObject(body.holding_data) ? without(body.holding_data, DERIVED_HOLDING_FIELDS) : {},
    extra: without(body, ENTITY_KEYS),
  };
}

/** `GET /items?item_barcode=…` answers the item, or (option) redirects to its URL as Alma may. */
function getItemByBarcode(request: SimRequest): SimResponse {
  const barcode = requireParameter(request.query, "item_barcode");
  const item = findItemByBarcode(request.institution, barcode);
  if (request.redirectBarcodeLookup) {
    const rest = new URLSearchParams(request.query);
    rest.delete("item_barcode");
    rest.delete("apikey");
    const query = rest.toString();
    const location = `${request.apiBase}/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`;
    return { status: 302, headers: { Location: query ? `${location}?${query}` : location } };
  }
  return ok(renderItem(request.institution, item, request.apiBase), "item");
}

function listItems(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const holding = findHolding(institution, params.mms_id ?? "", params.holding_id ?? "");
  const items = institution.items
    .filter((item) => item.holding_id === holding.holding_id)
    .map((item) => renderItem(institution, item, request.apiBase));
  return ok(listBody("item", items, request.query), "items");
}

function getItem(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  return ok(renderItem(institution, item, request.apiBase), "item");
}

function createItem(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const holding = findHolding(institution, params.mms_id ?? "", params.holding_id ?? "");
  const { itemData, holdingData, extra } = readItemBody(request);
  const barcode = barcodeOf(itemData);
  requireUniqueBarcode(institution, barcode);
  const today = almaDate(request.now);
  const item: ItemRecord = {
    pid: nextId(institution, IdPrefix.item),
    mms_id: holding.mms_id,
    holding_id: holding.holding_id,
    item_data: {
      ...itemData,
      barcode,
      base_status: { value: "1", desc: "Item in place" },
      creation_date: today,
      modification_date: today,
    },
    holding_data: { in_temp_location: false, ...holdingData },
    extra,
  };
  institution.items.push(item);
  return ok(renderItem(institution, item, request.apiBase), "item");
}

/** PUT replaces the item with what the client sent; unknown fields are kept, Alma-owned ones stay Alma's. */
function updateItem(request: SimRequest): SimResponse {
  const { institution, params } = request;
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  const { itemData, holdingData, extra } = readItemBody(request);
  const barcode = barcodeOf(itemData);
  requireUniqueBarcode(institution, barcode, item.pid);
  const kept: JsonObject = {};
  for (const key of ["process_type", "base_status", "creation_date"]) {
    if (item.item_data[key] !== undefined) kept[key] = item.item_data[key];
  }
  item.item_data = { ...itemData, ...kept, barcode, modification_date: almaDate(request.now) };
  item.holding_data = holdingData;
  item.extra = extra;
  return ok(renderItem(institution, item, request.apiBase), "item");
}

/**
 * Withdraws the item. As in Alma, an item with an active loan or request is refused unless `override=true`;
 * `holdings=delete` also removes a holding left without items.
 */
function deleteItem(request: SimRequest): SimResponse {
  const { institution, params, query } = request;
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  const activeLoan = institution.loans.find(
    (loan) => loan.item_id === item.pid && loan.loan_status === "ACTIVE",
  );
  const activeRequests = institution.requests.filter(
    (entry) => entry.item_id === item.pid && isActive(entry),
  );
  if ((activeLoan || activeRequests.length > 0) && !booleanParameter(query, "override", false)) {
    throw badRequest(
      ErrorCodes.itemHasActivity,
      `Item ${item.pid} has an active ${activeLoan ? "loan" : "request"}; use override=true to withdraw it.`,
    );
  }
  const now = almaDateTime(request.now);
  if (activeLoan) {
    activeLoan.loan_status = "COMPLETE";
    activeLoan.return_date = now;
  }
  for (const entry of activeRequests) {
    entry.request_status = "CANCELLED";
    entry.cancellation = { reason: "ItemWithdrawn", notify_user: false, time: now };
  }
  institution.items = institution.items.filter((candidate) => candidate !== item);
  const holdingsPolicy = query.get("holdings") ?? "retain";
  const holdingEmpty = !institution.items.some((candidate) => candidate.holding_id === item.holding_id);
  if (holdingEmpty && holdingsPolicy === "delete") {
    institution.holdings = institution.holdings.filter((holding) => holding.holding_id !== item.holding_id);
  } else if (holdingEmpty && holdingsPolicy === "suppress") {
    const holding = institution.holdings.find((candidate) => candidate.holding_id === item.holding_id);
    if (holding) holding.suppress_from_publishing = true;
  }
  return noContent();
}

const ITEM = "/bibs/:mms_id/holdings/:holding_id/items";

export const itemRoutes: Route[] = [
  { method: "GET", pattern: "/items", area: "bibs", handler: getItemByBarcode },
  { method: "GET", pattern: ITEM, area: "bibs", handler: listItems },
  { method: "POST", pattern: ITEM, area: "bibs", handler: createItem },
  { method: "GET", pattern: `${ITEM}/:item_pid`, area: "bibs", handler: getItem },
  { method: "PUT", pattern: `${ITEM}/:item_pid`, area: "bibs", handler: updateItem },
  { method: "DELETE", pattern: `${ITEM}/:item_pid`, area: "bibs", handler: deleteItem },
];
