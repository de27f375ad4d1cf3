import { AlmaBodyError, type AlmaCallContext } from "./errors.js";
import type { AlmaResponse } from "./transport.js";

/** The JSON object of an answer, or an `AlmaBodyError` naming the call. */
export function objectBody<T>(response: AlmaResponse, context: Omit<AlmaCallContext, "retries">): T {
  const body = response.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AlmaBodyError(
      { ...context, retries: response.retries },
      response.status,
      "expected a JSON object",
    );
  }
  return body as T;
}

/**
 * The array under `key` of an Alma list answer. An empty list comes as `{"total_record_count":0}` without the
 * array, and a list of one may come as a bare object: both are normalised.
 */
export function listOf<T>(body: unknown, key: string): T[] {
  if (typeof body !== "object" || body === null) return [];
  const value = (body as Record<string, unknown>)[key];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** `total_record_count` of a list answer (0 when absent). */
export function totalOf(body: unknown): number {
  if (typeof body !== "object" || body === null) return 0;
  const total = Number((body as Record<string, unknown>).total_record_count);
  return Number.isFinite(total) ? total : 0;
}
