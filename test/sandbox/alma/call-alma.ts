import { DEFAULT_API_KEYS, type AlmaSimulator } from "../../../src/sandbox/alma/index.js";

export type InstitutionCode = keyof typeof DEFAULT_API_KEYS;

export interface CallOptions {
  /** Institution whose key is sent in the Authorization header; `null` sends none. */
  as?: InstitutionCode | null;
  /** A raw key, sent instead of the institution's. */
  key?: string;
  query?: Record<string, string>;
  /** JSON body. */
  json?: unknown;
  /** XML body (Content-Type application/xml). */
  xml?: string;
  /** Accept header; JSON unless told otherwise. */
  accept?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Alma's loosely typed JSON; tests read it as `any` to keep assertions short. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the simulator like a client would: `Authorization: apikey …`, JSON by default. */
export async function callAlma(
  sim: AlmaSimulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const url = new URL(`${sim.url}/almaws/v1${path}`);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  const institution = options.as === undefined ? "01AAA_RS" : options.as;
  const key = options.key ?? (institution ? DEFAULT_API_KEYS[institution] : undefined);
  if (key) headers.Authorization = `apikey ${key}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.xml !== undefined) {
    headers["Content-Type"] = "application/xml";
    body = options.xml;
  }
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = undefined;
  if ((response.headers.get("content-type") ?? "").includes("json") && text !== "") parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** The first error of an Alma error body. */
export function firstError(answer: Answer): { errorCode: string; errorMessage: string; trackingId: string } {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return
  return answer.body.errorList.error[0];
}
