/**
 * aspace2alma's patterns, compiled one way for the configuration's check and the job alike, so a pattern
 * `config check` accepts is one the job can use.
 */

/** `recap_pattern` (`\p{L}` needs Unicode mode). */
export function compileRecapPattern(source: string): RegExp {
  return new RegExp(source, "u");
}

/** One of `excluded_patterns`: it must match the whole call number. */
export function compileExcludedPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, "u");
}
