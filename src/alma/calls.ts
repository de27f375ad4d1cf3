import { unlessNotFound } from "./errors.js";
import { objectBody } from "./json-shapes.js";
import type { AlmaRequest, AlmaTransport, QueryValue } from "./transport.js";

/** GET a JSON object. */
export async function getObject<T>(
  transport: AlmaTransport,
  path: string,
  query?: Record<string, QueryValue>,
): Promise<T> {
  const response = await transport.call({ method: "GET", path, ...(query ? { query } : {}) });
  return objectBody<T>(response, { institution: transport.institution, method: "GET", path });
}

/** GET a JSON object, or `undefined` when Alma says it does not exist. */
export function findObject<T>(
  transport: AlmaTransport,
  path: string,
  query?: Record<string, QueryValue>,
): Promise<T | undefined> {
  return unlessNotFound(getObject<T>(transport, path, query));
}

/** A write answered with a JSON object (the created or updated entity). */
export async function sendForObject<T>(transport: AlmaTransport, request: AlmaRequest): Promise<T> {
  const response = await transport.call(request);
  return objectBody<T>(response, {
    institution: transport.institution,
    method: request.method,
    path: request.path,
  });
}

/** A write whose answer has no body worth reading (DELETE). */
export async function sendForNothing(transport: AlmaTransport, request: AlmaRequest): Promise<void> {
  await transport.call(request);
}
