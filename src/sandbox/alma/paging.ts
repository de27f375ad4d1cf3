import { badRequest } from "./alma-error.js";
import { ErrorCodes } from "./error-codes.js";
import type { JsonObject } from "./types.js";

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

function integerParameter(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw))
    throw badRequest(ErrorCodes.notNumeric, `Input parameter ${name} (${raw}) is not numeric.`);
  return Number(raw);
}

/** Alma's `limit` (0–100, default 10) and `offset`. */
export function readPage(query: URLSearchParams): { limit: number; offset: number } {
  const limit = integerParameter(query, "limit", DEFAULT_LIMIT);
  if (limit > MAX_LIMIT) {
    throw badRequest(
      ErrorCodes.parameterNotValid,
      `limit (${limit}) parameter is not valid. Valid values are 0-100.`,
    );
  }
  return { limit, offset: integerParameter(query, "offset", 0) };
}

/**
 * A list answer as Alma gives it: `{ <key>: [...], total_record_count }`; an empty page carries no array key
 * (`{"total_record_count":0}`).
 */
export function listBody<T>(
  key: string,
  records: T[],
  query: URLSearchParams,
  extra: JsonObject = {},
): JsonObject {
  const { limit, offset } = readPage(query);
  const page = records.slice(offset, offset + limit);
  return page.length === 0
    ? { ...extra, total_record_count: records.length }
    : { [key]: page, ...extra, total_record_count: records.length };
}
