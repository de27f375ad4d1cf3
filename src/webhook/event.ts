import { createHash } from "node:crypto";

/** The fields of an Alma webhook event that alma-rs reads (reference §1 "Webhooks"); the rest is kept. */
export interface WebhookEvent {
  id?: string;
  action?: string;
  institution?: { value?: string };
  event?: { value?: string; desc?: string };
  job_instance?: {
    id?: string;
    job_info?: { id?: string; name?: string };
    status?: { value?: string };
  };
  item_loan?: { loan_id?: string; item_barcode?: string; user_id?: string };
  user_request?: {
    request_id?: string;
    request_type?: string;
    barcode?: string | null;
    comment?: string | null;
  };
  [key: string]: unknown;
}

/** The body of a POST is not a JSON object. */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
  readonly code = "EMALFORMED_EVENT";
}

/** Parses an event's raw bytes (UTF-8 JSON, one object). */
export function parseWebhookEvent(raw: Uint8Array): WebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch (error) {
    throw new MalformedEventError(`the body is not UTF-8 JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new MalformedEventError("the body is not a JSON object");
  }
  return parsed as WebhookEvent;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const NUMERIC_ID = /"id"\s*:\s*(\d{1,100})(?![\d.eE])/g;

/**
 * The name an event is spooled under: Alma's event `id` when it is a plain token, so a repeated delivery
 * lands on the same name; otherwise a digest of the id (or of the body, when there is no id at all).
 */
export function spoolIdOf(event: WebhookEvent, raw: Uint8Array): string {
  const id = event.id as unknown;
  if (typeof id === "string" && SAFE_ID.test(id)) return id;
  if (typeof id === "number") {
    return Number.isSafeInteger(id) ? String(id) : (numericIdDigitsOf(raw, id) ?? digestOf(raw));
  }
  return digestOf(typeof id === "string" && id !== "" ? Buffer.from(id, "utf8") : raw);
}

/**
 * A numeric id past 2^53 as written in the body: JSON.parse has rounded it, so two events could share it. The
 * first `"id": <digits>` that parses to the same number is taken (a nested object may hold an `id` too).
 */
function numericIdDigitsOf(raw: Uint8Array, id: number): string | undefined {
  const text = Buffer.from(raw).toString("utf8");
  for (const match of text.matchAll(NUMERIC_ID)) {
    if (Number(match[1]) === id) return match[1];
  }
  return undefined;
}

function digestOf(source: Uint8Array): string {
  return `h-${createHash("sha256").update(source).digest("hex").slice(0, 40)}`;
}

/** A short description for logs: action, event and institution, never patron data. */
export function describeEvent(event: WebhookEvent): string {
  const parts = [event.action ?? "(no action)"];
  if (event.event?.value) parts.push(event.event.value);
  if (event.institution?.value) parts.push(`from ${event.institution.value}`);
  return parts.join(" ");
}
