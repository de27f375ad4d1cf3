import { badRequest } from "../alma-error.js";
import { ok, xmlBody, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { IdPrefix, nextId } from "../ids.js";
import { findBib, findHolding, findLibrary, requireLocation } from "../lookup.js";
import { firstSubfield } from "../marc.js";
import { almaDate, bibData, renderHolding, renderHoldingSummary } from "../render.js";
import type { Route } from "../router.js";
import type { HoldingRecord } from "../types.js";
import { firstChild, serializeXml, textOf } from "../xml.js";

/** `GET /bibs/{mms}/holdings` (Alma does not page this list). */
function listHoldings(request: SimRequest): SimResponse {
  const { institution, apiBase } = request;
  const bib = findBib(institution, request.params.mms_id ?? "");
  const holdings = institution.holdings
    .filter((holding) => holding.mms_id === bib.mms_id)
    .map((holding) => renderHoldingSummary(institution, holding, apiBase));
  const body =
    holdings.length === 0
      ? { bib_data: bibData(bib, apiBase), total_record_count: 0 }
      : { holding: holdings, bib_data: bibData(bib, apiBase), total_record_count: holdings.length };
  return ok(body, "holdings");
}

function getHolding(request: SimRequest): SimResponse {
  const { institution } = request;
  const holding = findHolding(institution, request.params.mms_id ?? "", request.params.holding_id ?? "");
  const bib = findBib(institution, holding.mms_id);
  return ok(renderHolding(institution, holding, bib, request.apiBase), "holding");
}

/** `POST /bibs/{mms}/holdings` with `<holding><record>…852 $b library $c location…</record></holding>`. */
function createHolding(request: SimRequest): SimResponse {
  const { institution } = request;
  const bib = findBib(institution, request.params.mms_id ?? "");
  const root = xmlBody(request);
  const record = root.name === "holding" ? firstChild(root, "record") : undefined;
  if (!record) throw badRequest(ErrorCodes.invalidBody, "The body must be a <holding> with a MARC <record>.");
  const libraryCode = firstSubfield(record, "852", "b");
  const locationCode = firstSubfield(record, "852", "c");
  if (!libraryCode || !locationCode) {
    throw badRequest(
      ErrorCodes.invalidBody,
      "The holding record needs an 852 with $b (library) and $c (location).",
    );
  }
  requireLocation(findLibrary(institution, libraryCode), locationCode);
  const callNumber = firstSubfield(record, "852", "h");
  const suppress = firstChild(root, "suppress_from_publishing");
  const holding: HoldingRecord = {
    holding_id: nextId(institution, IdPrefix.holding),
    mms_id: bib.mms_id,
    library: libraryCode,
    location: locationCode,
    ...(callNumber ? { call_number: callNumber } : {}),
    record: serializeXml(record),
    suppress_from_publishing: suppress ? textOf(suppress).trim() === "true" : false,
    created_date: almaDate(request.now),
  };
  institution.holdings.push(holding);
  return ok(renderHolding(institution, holding, bib, request.apiBase), "holding");
}

export const holdingRoutes: Route[] = [
  { method: "GET", pattern: "/bibs/:mms_id/holdings", area: "bibs", handler: listHoldings },
  { method: "POST", pattern: "/bibs/:mms_id/holdings", area: "bibs", handler: createHolding },
  { method: "GET", pattern: "/bibs/:mms_id/holdings/:holding_id", area: "bibs", handler: getHolding },
];
