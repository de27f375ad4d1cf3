import { firstSubfieldValue, getControlValue, getDataField, type MarcRecord } from "../../marc/record.js";
import { DATE2 } from "./rules.js";
import type { Aspace2AlmaSettings } from "./settings.js";

/** A resource's MARC export cannot be made into an Alma record (no 099 $a, no 008, not one record). */
export class ResourceRecordError extends Error {
  override readonly name = "ResourceRecordError";
  readonly code = "ERESOURCERECORD";
}

/** The call number (099 $a) that names the record in Alma; a record without one cannot be loaded. */
export function requireCallNumber(record: MarcRecord): string {
  const callNumber = firstSubfieldValue(record, "099", "a")?.trim();
  if (!callNumber) throw new ResourceRecordError("the MARC export has no 099 $a (call number)");
  return callNumber;
}

/**
 * The 008, which rules 3 and 4 place fields around and rule 6 reads the dates of (positions 7-14); a record
 * without one, or with one too short to hold the dates, cannot be loaded.
 */
export function require008(record: MarcRecord): string {
  const fixed = getControlValue(record, "008");
  if (fixed === undefined || fixed.trim() === "") throw new ResourceRecordError("the MARC export has no 008");
  if (fixed.length < DATE2.end) {
    throw new ResourceRecordError(
      `the MARC export's 008 is ${fixed.length} characters long, too short for its dates at positions 7-14`,
    );
  }
  return fixed;
}

/**
 * Why a record stays out of the output, or undefined when it goes in: its call number is on the exclusion list
 * (compared literally) or matches an excluded pattern (whole call number), or it has no 856 finding-aid link.
 */
export function exclusionReason(
  record: MarcRecord,
  callNumber: string,
  settings: Pick<Aspace2AlmaSettings, "excludedIds" | "excludedPatterns">,
): string | undefined {
  if (settings.excludedIds.has(callNumber)) return `call number ${callNumber} is on the exclusion list`;
  const pattern = settings.excludedPatterns.find((p) => p.test(callNumber));
  if (pattern) return `call number ${callNumber} matches the excluded pattern ${pattern.source}`;
  if (!getDataField(record, "856")) return "no 856 (finding-aid link)";
  return undefined;
}
