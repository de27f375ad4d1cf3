import { badRequest } from "./alma-error.js";
import { ErrorCodes } from "./error-codes.js";
import type { InstitutionState, JsonObject, SimulatorState } from "./types.js";
import { parseXml, XmlSyntaxError, type XmlElement } from "./xml.js";

/** One call as a handler sees it, already authenticated and admitted by the limits. */
export interface SimRequest {
  method: string;
  /** The path below `/almaws/v1`, e.g. `/bibs/991000000010001/holdings`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The raw body and its declared type; parse with `jsonBody` / `xmlBody`. */
  bodyText: string;
  contentType: string;
  institution: InstitutionState;
  state: SimulatorState;
  /** The simulator's clock at arrival, in ms. */
  now: number;
  /** `http://127.0.0.1:port/almaws/v1`, for `link` fields. */
  apiBase: string;
  /** Answer `GET /items?item_barcode=` with a 302 to the item's URL, as Alma may. */
  redirectBarcodeLookup: boolean;
}

/** What a handler answers; the server renders it as JSON or XML. */
export interface SimResponse {
  status: number;
  body?: JsonObject;
  /** Root element name when the answer is rendered as XML (`item`, `bibs`, …). */
  xmlRoot?: string;
  headers?: Record<string, string>;
}

export type Handler = (request: SimRequest) => SimResponse;

export function ok(body: JsonObject, xmlRoot: string, status = 200): SimResponse {
  return { status, body, xmlRoot };
}

export function noContent(): SimResponse {
  return { status: 204 };
}

/** The body as a JSON object; 400 when it is missing or not JSON. */
export function jsonBody(request: SimRequest): JsonObject {
  const text = request.bodyText.trim();
  if (text === "") throw badRequest(ErrorCodes.invalidBody, "Request body is missing.");
  if (text.startsWith("<")) {
    throw badRequest(ErrorCodes.invalidBody, "The simulator accepts this resource as JSON only.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(ErrorCodes.invalidBody, "Request body is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(ErrorCodes.invalidBody, "Request body must be a JSON object.");
  }
  return value as JsonObject;
}

/** The body as an optional JSON object (empty body → `{}`). */
export function optionalJsonBody(request: SimRequest): JsonObject {
  return request.bodyText.trim() === "" ? {} : jsonBody(request);
}

/** The body as XML; 400 when it is missing or malformed. */
export function xmlBody(request: SimRequest): XmlElement {
  const text = request.bodyText.trim();
  if (text === "") throw badRequest(ErrorCodes.invalidBody, "Request body is missing.");
  try {
    return parseXml(text);
  } catch (error) {
    const reason = error instanceof XmlSyntaxError ? error.message : String(error);
    throw badRequest(ErrorCodes.invalidBody, `Request body is not valid XML: ${reason}`);
  }
}

export function booleanParameter(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null || value === "") return fallback;
  return value.toLowerCase() === "true";
}
