import { createHmac, timingSafeEqual } from "node:crypto";

/** The header Alma signs its webhook events with. */
export const SIGNATURE_HEADER = "x-exl-signature";

/** Base64(HMAC-SHA256(body, secret)): the value Alma puts in `X-Exl-Signature`. */
export function computeSignature(body: Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

/**
 * Whether `header` is the signature of exactly these bytes. Constant time over equal lengths; a header of
 * another length (or none) is refused before any comparison, since `timingSafeEqual` throws on a mismatch
 * of lengths and a throw must never let an event through.
 */
export function isValidSignature(body: Uint8Array, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(computeSignature(body, secret), "utf8");
  const given = Buffer.from(header.trim(), "utf8");
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
