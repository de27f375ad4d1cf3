import { isPrivateKeyText, privateKeySecrets } from "../runtime/private-key.js";
import { maskUrlPasswords } from "../runtime/redactor.js";

/** Config keys whose values are secrets: redacted in every printout and registered with the log redactor. */
export const SECRET_KEY_PATTERN = /(apikey|api_key|password|passphrase|secret|token)$/i;

/** `ftp_server.private_key`: a secret when it holds the key itself, not the path of a key file (shown, it helps). */
const PRIVATE_KEY = /(^|_)private_key$/i;

/** Whether the value under `key` is a secret. */
export function isSecretEntry(key: string, value: unknown): value is string {
  if (typeof value !== "string") return false;
  return SECRET_KEY_PATTERN.test(key) || (PRIVATE_KEY.test(key) && isPrivateKeyText(value));
}

/** Every secret value in a configuration object, found by key name; key text also line by line. */
export function collectSecretValues(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectSecretValues(item, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (!isSecretEntry(key, child)) collectSecretValues(child, out);
      else if (child.length > 0) for (const secret of secretsOf(child)) out.add(secret);
    }
  }
  return out;
}

function secretsOf(value: string): string[] {
  return isPrivateKeyText(value) ? privateKeySecrets(value) : [value];
}

/**
 * A deep copy of a configuration object with every secret replaced by `***`, the password inside a URL
 * (`https://user:password@host`) included.
 */
export function redactConfig<T>(value: T): T {
  if (typeof value === "string") return maskUrlPasswords(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactConfig(item)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = isSecretEntry(key, child) ? "***" : redactConfig(child);
    }
    return out as T;
  }
  return value;
}
