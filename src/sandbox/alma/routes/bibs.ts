import { badRequest, invalidParameter } from "../alma-error.js";
import { ok, xmlBody, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { networkZoneId } from "../fixture.js";
import { IdPrefix, nextId } from "../ids.js";
import { findBib } from "../lookup.js";
import { authorOf, setControlField, subfieldValues, titleOf } from "../marc.js";
import { almaDate, renderBib } from "../render.js";
import type { Route } from "../router.js";
import type { BibRecord, SimulatorState } from "../types.js";
import { childElements, element, firstChild, parseXml, serializeXml, textOf } from "../xml.js";

function view(request: SimRequest): string {
  return request.query.get("view") ?? "full";
}

/** `GET /bibs?mms_id=…|nz_mms_id=…|other_system_id=…` */
function searchBibs(request: SimRequest): SimResponse {
  const { institution, query } = request;
  let found: BibRecord[];
  const mmsIds = query.get("mms_id");
  const nzId = query.get("nz_mms_id");
  const otherSystemId = query.get("other_system_id");
  if (mmsIds) {
    const wanted = mmsIds.split(",").map((id) => id.trim());
    if (wanted.length > 100) throw invalidParameter("mms_id");
    found = institution.bibs.filter((bib) => wanted.includes(bib.mms_id));
  } else if (nzId) {
    found = institution.bibs.filter((bib) => bib.linked_nz_mms_id === nzId.trim());
  } else if (otherSystemId) {
    found = institution.bibs.filter((bib) => bib.network_number.includes(otherSystemId.trim()));
  } else {
    throw badRequest(
      ErrorCodes.parameterNotValid,
      "One of the following parameters is required: mms_id, nz_mms_id, other_system_id.",
    );
  }
  const bibs = found.map((bib) => renderBib(bib, request.apiBase, view(request)));
  return ok(
    bibs.length === 0 ? { total_record_count: 0 } : { bib: bibs, total_record_count: bibs.length },
    "bibs",
  );
}

function getBib(request: SimRequest): SimResponse {
  const bib = findBib(request.institution, request.params.mms_id ?? "");
  return ok(renderBib(bib, request.apiBase, view(request)), "bib");
}

/** The Network Zone record: the zone's own list, or any member bib linked to that id. */
function networkRecord(state: SimulatorState, nzId: string): BibRecord | undefined {
  return (
    state.network_zone.bibs.find((bib) => bib.mms_id === nzId) ??
    Object.values(state.institutions)
      .flatMap((institution) => institution.bibs)
      .find((bib) => bib.linked_nz_mms_id === nzId)
  );
}

function createFromNetworkZone(request: SimRequest, nzId: string): BibRecord {
  const { institution, state } = request;
  const source = networkRecord(state, nzId);
  if (!source) {
    throw badRequest(ErrorCodes.networkRecordNotValid, `Network Zone record ${nzId} was not found.`);
  }
  const existing = institution.bibs.find((bib) => bib.linked_nz_mms_id === nzId);
  if (existing) {
    throw badRequest(
      ErrorCodes.networkRecordNotValid,
      `Network Zone record ${nzId} is already linked to local record ${existing.mms_id}.`,
    );
  }
  const mmsId = nextId(institution, IdPrefix.bib);
  const record = parseXml(source.record);
  setControlField(record, "001", mmsId);
  const nzNumber = `(EXLNZ-${state.network_zone.code})${nzId}`;
  const isThisNz = (value: string): boolean => networkZoneId(value) === nzId;
  const networkNumbers = source.network_number.some(isThisNz)
    ? [...source.network_number]
    : [nzNumber, ...source.network_number];
  if (!subfieldValues(record, "035", "a").some(isThisNz)) {
    record.children.push(
      element("datafield", { tag: "035", ind1: " ", ind2: " " }, [
        element("subfield", { code: "a" }, [nzNumber]),
      ]),
    );
  }
  return {
    mms_id: mmsId,
    title: source.title,
    ...(source.author ? { author: source.author } : {}),
    network_number: networkNumbers,
    record: serializeXml(record),
    linked_nz_mms_id: nzId,
    suppress_from_publishing: false,
    created_date: almaDate(request.now),
  };
}

function createFromMarc(request: SimRequest): BibRecord {
  const root = xmlBody(request);
  if (root.name !== "bib") throw badRequest(ErrorCodes.invalidBody, "The body must be a <bib> element.");
  const record = firstChild(root, "record");
  if (!record || childElements(record).length === 0) {
    throw badRequest(ErrorCodes.invalidBody, "The <bib> has no MARC <record>.");
  }
  const mmsId = nextId(request.institution, IdPrefix.bib);
  setControlField(record, "001", mmsId);
  const networkNumbers = subfieldValues(record, "035", "a");
  const nzId = networkNumbers.map(networkZoneId).find((id) => id !== undefined);
  const author = authorOf(record);
  const suppress = firstChild(root, "suppress_from_publishing");
  return {
    mms_id: mmsId,
    title: titleOf(record),
    ...(author ? { author } : {}),
    network_number: networkNumbers,
    record: serializeXml(record),
    ...(nzId ? { linked_nz_mms_id: nzId } : {}),
    suppress_from_publishing: suppress ? textOf(suppress).trim() === "true" : false,
    created_date: almaDate(request.now),
  };
}

/** `POST /bibs?from_nz_mms_id=…` (body `<bib/>`) or `POST /bibs` with `<bib><record>…</record></bib>`. */
function createBib(request: SimRequest): SimResponse {
  const nzId = request.query.get("from_nz_mms_id");
  let bib: BibRecord;
  if (nzId) {
    const root = xmlBody(request);
    if (root.name !== "bib") throw badRequest(ErrorCodes.invalidBody, "The body must be a <bib> element.");
    bib = createFromNetworkZone(request, nzId.trim());
  } else {
    bib = createFromMarc(request);
  }
  request.institution.bibs.push(bib);
  return ok(renderBib(bib, request.apiBase, "full"), "bib");
}

export const bibRoutes: Route[] = [
  { method: "GET", pattern: "/bibs", area: "bibs", handler: searchBibs },
  { method: "POST", pattern: "/bibs", area: "bibs", handler: createBib },
  { method: "GET", pattern: "/bibs/:mms_id", area: "bibs", handler: getBib },
];
