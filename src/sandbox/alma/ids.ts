import type { InstitutionState } from "./types.js";

/** Alma id prefixes: bibs 99…, holdings 22…, items 23…; requests, loans and sets have their own. */
export const IdPrefix = {
  bib: "99",
  holding: "22",
  item: "23",
  request: "24",
  loan: "18",
  set: "12",
  linking: "36",
} as const;

/** Generated ids start here, far above the small numbers fixtures use, so they never collide. */
export const FIRST_GENERATED_ID = 100_000_000;

/** An Alma-style id: prefix, a 9-digit sequence, the institution's 4-digit suffix (`991000000010001`). */
export function formatId(prefix: string, sequence: number, suffix: string): string {
  return `${prefix}${String(sequence).padStart(9, "0")}${suffix}`;
}

/** The next id of the institution (the sequence lives in the state, so a reset replays the same ids). */
export function nextId(institution: InstitutionState, prefix: string): string {
  const id = formatId(prefix, institution.next_id, institution.id_suffix);
  institution.next_id += 1;
  return id;
}
