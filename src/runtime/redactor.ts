const MASK = "***";

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@/\s]+@/gi;
const QUERY_SECRET = /([?&;]\s*(?:apikey|api_key|password|passwd|secret|token)=)[^&\s"'#]*/gi;

// Patterns that look like secrets whatever their value: query parameters, headers, key=value pairs.
const PATTERNS: readonly [RegExp, string][] = [
  [QUERY_SECRET, `$1${MASK}`],
  // `password=…`, `"apikey":"…"`, `api_key: …`, `webhook_secret = …` in free text (the name may end a longer one),
  // but not a configuration problem about such a key (`institutions[0].apikey: required`).
  [
    /((?:api[_-]?key|password|passwd|passphrase|secret|token)["']?\s*[:=]\s*["']?)(?!\*\*\*|(?:required|unknown key|environment variable|invalid|too small|too big|expected)\b)[^\s"',;&}]+/gi,
    `$1${MASK}`,
  ],
  [/(authorization["']?\s*[:=]\s*["']?)(?:apikey|bearer|basic)?\s*[^\s"',}]+/gi, `$1${MASK}`],
  [/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${MASK}`],
  [/(x-archivesspace-session["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${MASK}`],
  [URL_PASSWORD, `$1${MASK}@`],
];

/**
 * A URL's secrets, whatever the key holding it: the password of its user part (`https://user:password@host`)
 * and query parameters named like secrets (`?user=x&password=…`).
 */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, `$1${MASK}@`).replace(QUERY_SECRET, `$1${MASK}`);
}

const SECRET_FIELD =
  /^(apikey|api_key|password|passwd|passphrase|secret|webhook_secret|token|private_key|authorization|x-api-key|x-exl-signature|x-archivesspace-session)$/i;

/**
 * Removes secrets from log lines: every registered secret value wherever it appears, anything that looks like a
 * key in a URL or a header, and the value of any field named like a secret.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers a secret value; very short values are ignored (they would mask ordinary words). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** A redacted deep copy of any value (strings, arrays, plain objects, errors). */
  value(value: unknown, seen = new WeakSet<object>()): unknown {
    if (typeof value === "string") return this.text(value);
    if (value === null || typeof value !== "object") return value;
    if (seen.has(value)) return "[circular]";
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item, seen));
    // A Date or URL is shown as JSON shows it, not as the empty object of its own fields.
    if (hasToJson(value)) return this.value(value.toJSON(), seen);
    if (value instanceof Error) {
      return {
        name: value.name,
        message: this.text(value.message),
        ...(this.value({ ...value }, seen) as object),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = this.field(key, child, seen);
    return out;
  }

  /** The value of a field as it may be shown: masked whole when the field is named like a secret. */
  field(key: string, value: unknown, seen = new WeakSet<object>()): unknown {
    return SECRET_FIELD.test(key) && value ? MASK : this.value(value, seen);
  }
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}
