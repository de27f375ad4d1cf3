/** The configuration could not be found, read or validated; `problems` lists every key path at fault. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "ECONFIG";
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
    readonly source?: string,
  ) {
    super(problems.length > 0 ? `${message}\n  ${problems.join("\n  ")}` : message);
  }
}
