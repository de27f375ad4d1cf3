/**
 * The configuration could not be found, read or validated; `problems` lists every key path at fault, and
 * `warnings` what was also noticed (unknown keys, often the misspelling behind a "required").
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "ECONFIG";
  constructor(
    /** The first line of the message, before the problems and warnings. */
    readonly headline: string,
    readonly problems: readonly string[] = [],
    readonly source?: string,
    readonly warnings: readonly string[] = [],
  ) {
    super([headline, ...problems, ...warnings.map((warning) => `warning: ${warning}`)].join("\n  "));
  }
}
