import { invalidParameter, requireParameter } from "../alma-error.js";
import { ok, type SimRequest, type SimResponse } from "../context.js";
import { findItem, isActive, requireCircDesk } from "../lookup.js";
import { almaDateTime, renderItem } from "../render.js";
import type { Route } from "../router.js";

/**
 * `POST …/items/{pid}?op=scan&library=…&circ_desk=…&done=true`: returns an active loan, then either puts the
 * item on the hold shelf for its oldest waiting HOLD request, or back in place. Answers the item.
 */
function scanIn(request: SimRequest): SimResponse {
  const { institution, params, query } = request;
  const op = query.get("op");
  if (op !== "scan") throw invalidParameter("op", op ?? "");
  const item = findItem(institution, params.mms_id ?? "", params.holding_id ?? "", params.item_pid ?? "");
  const library = requireParameter(query, "library");
  const circDesk = requireParameter(query, "circ_desk");
  requireCircDesk(institution, library, circDesk);
  const now = almaDateTime(request.now);
  const messages: string[] = [];

  const loan = institution.loans.find(
    (entry) => entry.item_id === item.pid && entry.loan_status === "ACTIVE",
  );
  if (loan) {
    loan.loan_status = "COMPLETE";
    loan.return_date = now;
    loan.return_library = library;
    loan.return_circ_desk = circDesk;
    messages.push("Item was returned.");
  }

  const waiting = institution.requests.find(
    (entry) =>
      entry.item_id === item.pid &&
      entry.request_type === "HOLD" &&
      isActive(entry) &&
      entry.request_status !== "ON_HOLD_SHELF",
  );
  if (waiting) {
    waiting.request_status = "ON_HOLD_SHELF";
    item.item_data.process_type = { value: "HOLDSHELF", desc: "Hold Shelf" };
    item.item_data.base_status = { value: "1", desc: "Item in place" };
    messages.push(`Item should be placed on the hold shelf for request ${waiting.request_id}.`);
  } else {
    delete item.item_data.process_type;
    item.item_data.base_status = { value: "1", desc: "Item in place" };
    if (!loan) messages.push("Item is in place.");
  }
  return ok(
    { ...renderItem(institution, item, request.apiBase), additional_info: { value: messages.join(" ") } },
    "item",
  );
}

export const scanInRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/bibs/:mms_id/holdings/:holding_id/items/:item_pid",
    area: "bibs",
    handler: scanIn,
  },
];
