/** Config keys whose values are secrets: redacted in every printout and registered with the log redactor. */
export const SECRET_KEY_PATTERN = /(apikey|api_key|password|passphrase|secret|token)$/i;

/** `ftp_server.private_key` holds either a path (shown, it helps) or the key itself (README: "key text or a path"). */
const PRIVATE_KEY = /(^|_)private_key$/i;

/** Key text, as the SFTP transfer tells it from a path. */
function isKeyText(value: string): boolean {
  return value.includes("-----BEGIN") || value.includes("\n");
}

/** Whether the value under `key` is a secret. */
export function isSecretEntry(key: string, value: unknown): value is string {
  if (typeof value !== "string") return false;
  return SECRET_KEY_PATTERN.test(key) || (PRIVATE_KEY.test(key) && isKeyText(value));
}

/** Every secret value in a configuration object, found by key name; key text also line by line. */
export function collectSecretValues(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectSecretValues(item, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (!isSecretEntry(key, child)) collectSecretValues(child, out);
      else if (child.length > 0) addSecret(child, out);
    }
  }
  return out;
}

/** A message may quote a key's lines apart from each other (or with other line ends): each one is registered. */
function addSecret(secret: string, out: Set<string>): void {
  out.add(secret);
  if (!secret.includes("\n")) return;
  for (const line of secret.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length >= 8 && !trimmed.startsWith("-----")) out.add(trimmed);
  }
}

/** A deep copy of a configuration object with every secret replaced by `***`. */
export function redactConfig<T>(value: T): T {
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
