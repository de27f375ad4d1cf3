import type { AspaceConfig } from "../../config/config.js";
import { compileExcludedPattern, compileRecapPattern } from "../../config/aspace-patterns.js";

/** The institution-specific values of the transformations, from the `aspace` config section. */
export interface Aspace2AlmaSettings {
  /** 003, the prefix of 035 and 949 $d: `PULFA`. */
  institutionCode: string;
  /** 040 $a/$c and the $5 of local headings: `NjP`. */
  catalogingAgency: string;
  /** 856 $z: `Search and Request`. */
  findingAidLabel: string;
  /** 856 $y: `Princeton University Library Finding Aids`. */
  findingAidNote: string;
  /** Call numbers (099 $a) left out of the output, compared literally. */
  excludedIds: ReadonlySet<string>;
  /** Call-number patterns left out of the output; each must match the whole call number. */
  excludedPatterns: readonly RegExp[];
  /** The 500 "Location of resource: …" notes that become 982 fields. */
  locationNote: RegExp;
  /** A container's first location code matching this is at ReCAP. */
  recapPattern: RegExp;
}

export const REFERENCE_LOCATION_CODES = [
  "anxb", "ea", "ex", "flm", "flmp", "gax", "hsvc", "hsvm", "mss", "mudd", "prnc", "rarebooks", "rcpph", "rcppf",
  "rcppl", "rcpxc", "rcpxg", "rcpxm", "rcpxr", "st", "thx", "wa", "review", "oo", "sc", "sls",
]; // prettier-ignore

type SettingsSource = Pick<
  AspaceConfig,
  | "institution_code"
  | "cataloging_agency"
  | "finding_aid_label"
  | "finding_aid_note"
  | "excluded_ids"
  | "excluded_patterns"
  | "location_codes"
  | "recap_pattern"
>;

/** The reference implementation's values: what the config defaults to. */
export const REFERENCE_SETTINGS_SOURCE: SettingsSource = {
  institution_code: "PULFA",
  cataloging_agency: "NjP",
  finding_aid_label: "Search and Request",
  finding_aid_note: "Princeton University Library Finding Aids",
  excluded_ids: ["C0140", "C1771", "AC214", "AC364", "C0744.06", "C0935", "C1296", "WC059", "RBD1", "RBD1.1", "C0723.1-47"],
  excluded_patterns: ["LAE\\d+", "SPA\\d+", "POR\\d+"],
  location_codes: REFERENCE_LOCATION_CODES,
  recap_pattern: "^(sca)?rcp\\p{L}+",
}; // prettier-ignore

export function settingsFromConfig(aspace: SettingsSource): Aspace2AlmaSettings {
  return {
    institutionCode: aspace.institution_code,
    catalogingAgency: aspace.cataloging_agency,
    findingAidLabel: aspace.finding_aid_label,
    findingAidNote: aspace.finding_aid_note,
    excludedIds: new Set(aspace.excluded_ids),
    excludedPatterns: aspace.excluded_patterns.map(compileExcludedPattern),
    locationNote: locationNotePattern(aspace.location_codes),
    recapPattern: compileRecapPattern(aspace.recap_pattern),
  };
}

/** `Location of resource: (sca)?(anxb|ea|…)`, unanchored at the end like the reference. */
export function locationNotePattern(codes: readonly string[]): RegExp {
  const alternatives = codes.map((code) => code.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return new RegExp(`Location of resource: (sca)?(${alternatives})`, "u");
}
