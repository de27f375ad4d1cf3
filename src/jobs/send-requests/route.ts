import { PATRON_DIGITIZATION, STAFF_DIGITIZATION_TYPES, type SourceRequest } from "./source-request.js";

/** The seven ways a source request is carried to the SCF (seed 001 §7.3–§7.9). */
export type Route =
  | "item hold"
  | "title hold"
  | "patron digitization (item)"
  | "patron digitization (title)"
  | "staff digitization (item)"
  | "staff digitization (title)";

/** A barcode with a space or a colon is Alma's way of exporting a title-level request (seed 001 §7.3). */
export function isTitleLevelBarcode(barcode: string): boolean {
  return barcode.includes(" ") || barcode.includes(":");
}

/**
 * Seed 001 §7.3. A missing barcode is a title-level request and takes the title-level branch (the reference app
 * crashed on it and cancelled the patron's request; a digitization without a barcode stays a digitization).
 */
export function routeFor(request: SourceRequest): Route {
  const titleLevel = request.barcode === undefined || isTitleLevelBarcode(request.barcode);
  const staffDigitization = STAFF_DIGITIZATION_TYPES.includes(request.requestType);
  if (titleLevel) {
    if (request.requestType === PATRON_DIGITIZATION && request.patron.identifier !== undefined) {
      return "patron digitization (title)";
    }
    if (staffDigitization) return "staff digitization (title)";
    return "title hold";
  }
  if (request.requestType === PATRON_DIGITIZATION) return "patron digitization (item)";
  if (staffDigitization) return "staff digitization (item)";
  return "item hold";
}
