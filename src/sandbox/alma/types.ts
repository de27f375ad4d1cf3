/**
 * The simulator's state: plain, JSON-serialisable data that tests read directly (`sim.state`) or through
 * `GET /__sandbox/state`. Field names follow Alma's JSON so a record reads like the answer it produces.
 */

/** Alma's `{ "value": "CODE", "desc": "Label" }` pair. */
export interface ValueDesc {
  value: string;
  desc?: string;
}

export type JsonObject = Record<string, unknown>;

export interface LocationRecord {
  code: string;
  name: string;
  /** Alma location type, e.g. `OPEN`, `REMOTE`. */
  type?: string;
}

export interface LibraryRecord {
  code: string;
  name: string;
  locations: LocationRecord[];
  /** Circulation desk codes; scan-in and loans must name one of them. */
  circ_desks: string[];
}

/** An Alma user as Alma returns it; fields the simulator does not model are kept as they are. */
export interface UserRecord extends JsonObject {
  primary_id: string;
  first_name?: string;
  last_name?: string;
  user_identifier?: { id_type: ValueDesc; value: string }[];
  contact_info?: {
    address?: {
      preferred?: boolean;
      address_type: ValueDesc[];
      line1?: string;
      city?: string;
      postal_code?: string;
      country?: ValueDesc;
    }[];
    email?: { email_address: string; preferred?: boolean }[];
  };
  linking_id?: string;
  source_institution_code?: string;
  source_user_id?: string;
  source_link_id?: string;
}

export interface BibRecord {
  mms_id: string;
  title: string;
  author?: string;
  /** The 035 $a values, e.g. `(EXLNZ-01AAA_NETWORK)9912340000004441`, `(01AAA_AB)991000000010001`. */
  network_number: string[];
  /** The MARC-XML `<record>` as kept by the simulator (001 = mms_id). */
  record: string;
  /** Set when the bib was created from (or linked to) a Network Zone record. */
  linked_nz_mms_id?: string;
  suppress_from_publishing: boolean;
  created_date: string;
}

export interface HoldingRecord {
  holding_id: string;
  mms_id: string;
  library: string;
  location: string;
  call_number?: string;
  /** The MARC-XML `<record>` with its 852. */
  record: string;
  suppress_from_publishing: boolean;
  created_date: string;
}

/** `item_data` as Alma returns it (without `pid`, which lives on the record); unknown fields are kept. */
export interface ItemData extends JsonObject {
  barcode: string;
  library?: ValueDesc;
  location?: ValueDesc;
  provenance?: ValueDesc;
  process_type?: ValueDesc;
  base_status?: ValueDesc;
  description?: string;
  internal_note_1?: string;
  internal_note_2?: string;
  internal_note_3?: string;
}

export interface ItemRecord {
  pid: string;
  mms_id: string;
  holding_id: string;
  item_data: ItemData;
  /** The item-level part of `holding_data` (temporary location, copy id…); holding id is derived. */
  holding_data: JsonObject;
  /** Unknown top-level fields a client sent, kept for read-modify-write. */
  extra: JsonObject;
}

export type RequestStatus = "NOT_STARTED" | "IN_PROCESS" | "ON_HOLD_SHELF" | "COMPLETED" | "CANCELLED";

export interface RequestCancellation {
  reason: string;
  note?: string;
  notify_user: boolean;
  time: string;
}

export interface RequestRecord {
  request_id: string;
  user_primary_id: string;
  /** `HOLD`, `DIGITIZATION`, `BOOKING`. */
  request_type: string;
  request_status: RequestStatus;
  mms_id: string;
  /** Present for item-level requests. */
  item_id?: string;
  holding_id?: string;
  comment?: string;
  request_date: string;
  cancellation?: RequestCancellation;
  /** Everything else the client sent (request_sub_type, pickup_location_type, target_destination…). */
  fields: JsonObject;
}

export interface LoanRecord {
  loan_id: string;
  user_id: string;
  item_id: string;
  item_barcode: string;
  mms_id: string;
  holding_id: string;
  library: string;
  circ_desk: string;
  loan_date: string;
  due_date: string;
  loan_status: "ACTIVE" | "COMPLETE";
  return_date?: string;
  return_library?: string;
  return_circ_desk?: string;
}

export interface SetRecord {
  id: string;
  name: string;
  /** `ITEM`, `BIB_MMS`, `USER`. */
  content: string;
  members: { id: string; description?: string }[];
}

export interface JobRecord {
  id: string;
  name: string;
  description?: string;
  /** `SCHEDULED`, `MANUAL`, `OTHER`. */
  type: string;
  category?: string;
  profile_id?: string;
}

export interface IntegrationProfileRecord {
  id: string;
  code: string;
  /** `REMOTE_STORAGE`, `PUBLISHING`, `WEBHOOKS`… */
  type: string;
  description?: string;
}

/** Per API area: what the institution's key may do. Missing area = read/write. */
export type AreaPermission = "read" | "read-write" | "none";

export interface InstitutionState {
  code: string;
  apikey: string;
  /** The 4 digits every id of this institution ends with. */
  id_suffix: string;
  daily_budget?: number;
  permissions: Record<string, AreaPermission>;
  libraries: LibraryRecord[];
  users: UserRecord[];
  bibs: BibRecord[];
  holdings: HoldingRecord[];
  items: ItemRecord[];
  requests: RequestRecord[];
  loans: LoanRecord[];
  sets: SetRecord[];
  jobs: JobRecord[];
  integration_profiles: IntegrationProfileRecord[];
  /** Sequence for generated ids. */
  next_id: number;
}

export interface NetworkZoneState {
  code: string;
  id_suffix: string;
  bibs: BibRecord[];
}

export interface SimulatorState {
  /** By institution code. */
  institutions: Record<string, InstitutionState>;
  network_zone: NetworkZoneState;
}
