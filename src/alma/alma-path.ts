/**
 * Builds a path under `/almaws/v1/` with every interpolated value URL-encoded:
 * ``almaPath`bibs/${mmsId}/holdings` ``. An empty value is a bug in the caller (it would address another
 * resource), so it throws.
 */
export function almaPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    const text = String(value);
    if (text === "") throw new TypeError(`empty path segment after "${out}"`);
    out += encodeURIComponent(text) + (strings[index + 1] ?? "");
  });
  return out;
}
