/**
 * The shapes of Alma's JSON for the fields the jobs use. Every object keeps an index signature so a record
 * read, changed and written back (PUT replaces the whole entity) carries the fields we do not model.
 */

/** Alma's `{ "value": "CODE", "desc": "Label" }` pair. */
export interface ValueDesc {
  value: string;
  desc?: string;
  [key: string]: unknown;
}

export interface AlmaItemData {
  pid?: string;
  barcode?: string;
  provenance?: ValueDesc;
  /** `LOAN` when the item is on loan. */
  process_type?: ValueDesc;
  base_status?: ValueDesc;
  library?: ValueDesc;
  location?: ValueDesc;
  policy?: ValueDesc;
  po_line?: string;
  description?: string;
  internal_note_1?: string;
  internal_note_2?: string;
  internal_note_3?: string;
  statistics_note_2?: string;
  alternative_call_number?: string;
  alternative_call_number_type?: ValueDesc;
  storage_location_id?: string;
  [key: string]: unknown;
}

export interface AlmaItemHoldingData {
  holding_id?: string;
  call_number?: string;
  in_temp_location?: boolean;
  temp_library?: ValueDesc;
  temp_location?: ValueDesc;
  temp_policy?: ValueDesc;
  [key: string]: unknown;
}

export interface AlmaItemBibData {
  mms_id?: string;
  title?: string;
  network_number?: string[];
  [key: string]: unknown;
}

/** An item as `GET /items?item_barcode=` answers it. */
export interface AlmaItem {
  bib_data?: AlmaItemBibData;
  holding_data?: AlmaItemHoldingData;
  item_data: AlmaItemData;
  link?: string;
  [key: string]: unknown;
}

/** A bib record (JSON; the MARC-XML is in `anies`). */
export interface AlmaBib {
  mms_id: string;
  title?: string;
  network_number?: string[];
  linked_record_id?: ValueDesc;
  anies?: string[];
  [key: string]: unknown;
}

export interface AlmaHolding {
  holding_id: string;
  library?: ValueDesc;
  location?: ValueDesc;
  call_number?: string;
  [key: string]: unknown;
}

/** A user request (hold, digitization) as Alma answers it. */
export interface AlmaUserRequest {
  request_id?: string;
  request_type?: string;
  request_sub_type?: ValueDesc;
  request_status?: string;
  user_primary_id?: string;
  mms_id?: string;
  item_id?: string;
  holding_id?: string;
  barcode?: string;
  comment?: string;
  description?: string;
  manual_description?: string;
  pickup_location_type?: string;
  target_destination?: ValueDesc;
  [key: string]: unknown;
}

export interface AlmaLoan {
  loan_id?: string;
  user_id?: string;
  item_barcode?: string;
  item_id?: string;
  library?: ValueDesc;
  circ_desk?: ValueDesc;
  loan_status?: string;
  [key: string]: unknown;
}

export interface AlmaUser {
  primary_id: string;
  first_name?: string;
  last_name?: string;
  linking_id?: string;
  source_link_id?: string;
  source_institution_code?: string;
  source_user_id?: string;
  [key: string]: unknown;
}

export interface AlmaLibrary {
  code: string;
  name?: string;
  [key: string]: unknown;
}

export interface AlmaLocation {
  code: string;
  name?: string;
  type?: ValueDesc;
  [key: string]: unknown;
}

export interface AlmaSetMember {
  id: string;
  description?: string;
  link?: string;
  [key: string]: unknown;
}

export interface AlmaJob {
  id: string;
  name?: string;
  type?: ValueDesc;
  [key: string]: unknown;
}
