import { createHash, timingSafeEqual } from "node:crypto";

/** The SHA-256 fingerprint of a key or certificate, written as OpenSSH prints it: `SHA256:<base64, no padding>`. */
export function sha256Fingerprint(data: Buffer): string {
  return `SHA256:${createHash("sha256").update(data).digest("base64").replace(/=+$/, "")}`;
}

/**
 * The 32 bytes a pinned fingerprint stands for. Accepts `SHA256:<base64>` (ssh-keygen -lf), plain base64 with or
 * without padding, and hex with or without colons (openssl x509 -fingerprint -sha256). Throws on anything else.
 */
export function parseFingerprint(pin: string): Buffer {
  const text = pin.trim().replace(/^sha256:/i, "");
  const hex = text.replace(/:/g, "");
  if (/^[0-9a-f]{64}$/i.test(hex)) return Buffer.from(hex, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text, "base64");
    if (bytes.length === 32) return bytes;
  }
  throw new Error(`"${pin}" is not a SHA-256 fingerprint (expected SHA256:<base64> or 64 hex digits)`);
}

/** Whether `data` hashes to the pinned fingerprint. */
export function fingerprintMatches(pin: string, data: Buffer): boolean {
  const expected = parseFingerprint(pin);
  const actual = createHash("sha256").update(data).digest();
  return timingSafeEqual(expected, actual);
}
