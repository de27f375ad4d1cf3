import { ErrorCodes } from "./error-codes.js";

/** An answer the simulator gives as an Alma error body (thrown by handlers, rendered by the server). */
export class SimulatedAlmaError extends Error {
  override readonly name = "SimulatedAlmaError";
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** "Not found" as Alma says it: HTTP 400 with a numeric code. */
export function notFound(errorCode: string, message: string): SimulatedAlmaError {
  return new SimulatedAlmaError(400, errorCode, message);
}

/** Bad input: HTTP 400. */
export function badRequest(errorCode: string, message: string): SimulatedAlmaError {
  return new SimulatedAlmaError(400, errorCode, message);
}

export function invalidParameter(name: string, value?: string): SimulatedAlmaError {
  const shown = value === undefined ? name : `${name} (${value})`;
  return badRequest(ErrorCodes.parameterNotValid, `${shown} parameter is not valid.`);
}

export function requireParameter(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value.trim() === "") throw invalidParameter(name);
  return value;
}

export interface ErrorBodyInput {
  errorCode: string;
  errorMessage: string;
  trackingId: string;
}

export function errorJson(error: ErrorBodyInput): string {
  return JSON.stringify({
    errorsExist: true,
    errorList: { error: [error] },
    result: null,
  });
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function errorXml(error: ErrorBodyInput): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans">` +
    `<errorsExist>true</errorsExist><errorList><error>` +
    `<errorCode>${escapeText(error.errorCode)}</errorCode>` +
    `<errorMessage>${escapeText(error.errorMessage)}</errorMessage>` +
    `<trackingId>${escapeText(error.trackingId)}</trackingId>` +
    `</error></errorList></web_service_result>`
  );
}

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A tracking id shaped like Alma's (`E01-2511120415-VOBYO-AWAE0000000042`), derived from the call number. */
export function trackingId(seq: number, time: number): string {
  const date = new Date(time);
  const pad = (value: number): string => String(value).padStart(2, "0");
  const stamp = `${pad(date.getUTCDate())}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCHours())}${pad(
    date.getUTCMinutes(),
  )}${pad(date.getUTCSeconds())}`;
  let word = "";
  let rest = seq;
  for (let index = 0; index < 5; index += 1) {
    word += letters[rest % 26];
    rest = Math.floor(rest / 26);
  }
  return `E01-${stamp}-${word}-AWAE${String(seq).padStart(10, "0")}`;
}
