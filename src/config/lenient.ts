import { z } from "zod";

// The Java app's conf.json writes numbers and booleans as strings ("4", "true"); both forms are accepted.

export function lenientInt(defaultValue: number, min = 0) {
  return lenientNumber(min).default(defaultValue);
}

/** An integer that may be written as a string, with no default. */
export function lenientNumber(min = 0) {
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value),
    z.number().int().min(min),
  );
}

export function lenientBool(defaultValue: boolean) {
  return z
    .preprocess((value) => {
      if (typeof value !== "string") return value;
      const lower = value.trim().toLowerCase();
      if (lower === "true" || lower === "yes" || lower === "1") return true;
      if (lower === "false" || lower === "no" || lower === "0" || lower === "") return false;
      return value;
    }, z.boolean())
    .default(defaultValue);
}

/** A port written as a number or a string ("22"). */
export function lenientPort() {
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number().int().min(1).max(65535),
  );
}
