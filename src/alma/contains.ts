/**
 * True when every value set in `expected` is found, equal, in `actual` (objects compared key by key, arrays
 * element by element; keys `actual` adds are ignored). Used after an uncertain PUT to tell whether Alma now
 * holds what was sent: Alma adds descriptions and dates, so only what was sent is compared.
 */
export function contains(actual: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (expected === null || typeof expected !== "object") return actual === expected;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((value, index) => contains(actual[index], value))
    );
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
  const object = actual as Record<string, unknown>;
  return Object.entries(expected).every(([key, value]) => contains(object[key], value));
}
