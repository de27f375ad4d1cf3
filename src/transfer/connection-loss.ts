import { TransferError } from "./errors.js";

const LOST_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_STREAM_DESTROYED",
  "ERR_SOCKET_CLOSED",
]);

/**
 * Whether a library error says the connection (or a transfer's data stream) went away, rather than that the
 * server refused the operation. `messages` adds the wordings of a particular library.
 */
export function looksLikeConnectionLoss(error: unknown, messages: RegExp): boolean {
  if (error instanceof TransferError) return false;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && LOST_CODES.has(code)) return true;
  const text = typeof message === "string" ? message : "";
  return (
    /premature close|socket|timed? ?out|connection (lost|closed|reset)/i.test(text) || messages.test(text)
  );
}
