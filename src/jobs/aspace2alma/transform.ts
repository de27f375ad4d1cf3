import type { DataField, MarcRecord } from "../../marc/record.js";
import { appendItemFields } from "./items.js";
import {
  addControlNumber,
  addDatesFrom008,
  addLocationFields,
  addSystemControlNumber,
  collapseLineBreaks,
  markLocalHeadings,
  qualifyBulkDates,
  removeEmptyElements,
  removeHoldingsFields,
  removeInternalNotes,
  replaceCatalogingSource,
  replaceFindingAidLink,
  splitSubjectHeadings,
  truncateScopeNotes,
} from "./rules.js";
import { exclusionReason, require008, requireCallNumber } from "./selection.js";
import type { Aspace2AlmaSettings } from "./settings.js";

/** A cleaned export ready for its item fields, or the reason it stays out of the output. */
export type PreparedRecord =
  | { record: MarcRecord; callNumber: string; excluded?: undefined }
  | { record: MarcRecord; callNumber: string; excluded: string };

/**
 * Rules 1 and 2, then the checks: a record without 099 $a or 008 throws ResourceRecordError; an excluded one
 * comes back with the reason (so no containers are fetched for it).
 */
export function prepareRecord(record: MarcRecord, settings: Aspace2AlmaSettings): PreparedRecord {
  removeEmptyElements(record);
  collapseLineBreaks(record);
  const callNumber = requireCallNumber(record);
  require008(record);
  const excluded = exclusionReason(record, callNumber, settings);
  return excluded ? { record, callNumber, excluded } : { record, callNumber };
}

/** Rules 3 to 15, in the reference's order, on a prepared record; `items` are the 949 fields of rule 13. */
export function applySpecialCollectionsChanges(
  prepared: { record: MarcRecord; callNumber: string },
  items: readonly DataField[],
  settings: Aspace2AlmaSettings,
): MarcRecord {
  const { record, callNumber } = prepared;
  addControlNumber(record, callNumber, settings); // 3
  addSystemControlNumber(record, callNumber, settings); // 4
  replaceCatalogingSource(record, settings); // 5
  addDatesFrom008(record); // 6
  qualifyBulkDates(record); // 7
  truncateScopeNotes(record); // 8
  splitSubjectHeadings(record); // 9
  removeHoldingsFields(record); // 10
  replaceFindingAidLink(record, settings); // 11
  addLocationFields(record, settings); // 12
  appendItemFields(record, items); // 13
  removeInternalNotes(record); // 14
  markLocalHeadings(record, settings); // 15
  return record;
}
