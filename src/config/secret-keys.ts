/** Config keys whose values are secrets: redacted in every printout and registered with the log redactor. */
export const SECRET_KEY_PATTERN = /(apikey|api_key|password|passphrase|secret|token)$/i;

/** Every secret value in a configuration object, found by key name. */
export function collectSecretValues(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectSecretValues(item, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (SECRET_KEY_PATTERN.test(key) && typeof child === "string" && child.length > 0) out.add(child);
      else collectSecretValues(child, out);
    }
  }
  return out;
}

/** A deep copy of a configuration object with every secret replaced by `***`. */
export function redactConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => redactConfig(item)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = SECRET_KEY_PATTERN.test(key) && typeof child === "string" ? "***" : redactConfig(child);
    }
    return out as T;
  }
  return value;
}
