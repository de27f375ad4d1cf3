/**
 * The Alma operations send-requests uses, for one institution (a member or the SCF). The shapes are Alma's JSON,
 * reduced to the fields the job reads; everything else an answer carries is kept. Writes are "look, then write"
 * safe in the implementation: after an uncertain outcome it looks before writing again.
 */

export interface ValueDesc {
  value: string;
  desc?: string;
  [key: string]: unknown;
}

export interface ItemJson {
  bib_data?: { mms_id?: string; network_number?: string[]; [key: string]: unknown };
  holding_data?: { holding_id?: string; [key: string]: unknown };
  item_data: { pid?: string; barcode?: string; process_type?: ValueDesc; [key: string]: unknown };
  [key: string]: unknown;
}

export interface BibJson {
  mms_id: string;
  network_number?: string[];
  [key: string]: unknown;
}

export interface HoldingJson {
  holding_id: string;
  library?: ValueDesc;
  location?: ValueDesc;
  [key: string]: unknown;
}

/** A user request (hold, digitization) as Alma answers it; the body sent to create one has the same shape. */
export interface RequestJson {
  request_id?: string;
  request_type?: string;
  request_status?: string;
  user_primary_id?: string;
  mms_id?: string;
  comment?: string;
  description?: string;
  manual_description?: string;
  [key: string]: unknown;
}

export interface UserJson {
  primary_id: string;
  linking_id?: string;
  source_link_id?: string;
  source_institution_code?: string;
  [key: string]: unknown;
}

export interface LibraryJson {
  code: string;
  name?: string;
  [key: string]: unknown;
}

/** Where an item lives: the three ids of its path. */
export interface ItemAddress {
  mmsId: string;
  holdingId: string;
  pid: string;
}

/** Alma's `status` of a request list: `active` (the default) or `history` (fulfilled and cancelled). */
export type RequestListStatus = "active" | "history";

export interface CancelOptions {
  /** A code of Alma's RequestCancellationReasons table: `CannotBeFulfilled`, `RequestSwitched`. */
  reason: string;
  note?: string;
  notifyUser: boolean;
}

export interface InstitutionAlma {
  readonly institution: string;
  /** `GET /items?item_barcode=`. */
  findItem(barcode: string): Promise<ItemJson | undefined>;
  getBib(mmsId: string): Promise<BibJson | undefined>;
  findBibByNzId(nzMmsId: string): Promise<BibJson | undefined>;
  findBibByOtherSystemId(otherSystemId: string): Promise<BibJson | undefined>;
  listHoldings(mmsId: string): Promise<HoldingJson[]>;
  getBibRequest(mmsId: string, requestId: string): Promise<RequestJson | undefined>;
  getUserRequest(userId: string, requestId: string): Promise<RequestJson | undefined>;
  /** The active requests on an item (or with `history` its ended ones), with their comments. */
  listItemRequests(item: ItemAddress, status?: RequestListStatus): Promise<RequestJson[]>;
  /** The active requests on a bib (or with `history` its ended ones), with their comments. */
  listBibRequests(mmsId: string, status?: RequestListStatus): Promise<RequestJson[]>;
  createItemRequest(item: ItemAddress, userId: string, body: RequestJson): Promise<RequestJson>;
  createBibRequest(mmsId: string, userId: string, body: RequestJson): Promise<RequestJson>;
  cancelItemRequest(item: ItemAddress, requestId: string, options: CancelOptions): Promise<void>;
  cancelBibRequest(mmsId: string, requestId: string, options: CancelOptions): Promise<void>;
  cancelUserRequest(userId: string, requestId: string, options: CancelOptions): Promise<void>;
  /** A user by any identifier (`all_unique`) or by `linking_id`. */
  getUser(userId: string, userIdType?: "all_unique" | "linking_id"): Promise<UserJson | undefined>;
  /** The linked user of `userId` from institution `sourceInstitutionCode`. */
  getLinkedUser(userId: string, sourceInstitutionCode: string): Promise<UserJson | undefined>;
  createLinkedUser(sourceInstitutionCode: string, sourceUserId: string): Promise<UserJson>;
  refreshUser(userId: string): Promise<void>;
  libraries(): Promise<LibraryJson[]>;
}

/** The SCF and the member institutions the configuration has keys for. */
export interface SendRequestsAlma {
  readonly scf: InstitutionAlma;
  /** The member's client, or `undefined` when the institution is not configured. */
  member(code: string): InstitutionAlma | undefined;
}

/** The ids of an item read from Alma, or `undefined` when the answer lacks one. */
export function itemAddressOf(item: ItemJson): ItemAddress | undefined {
  const mmsId = item.bib_data?.mms_id;
  const holdingId = item.holding_data?.holding_id;
  const pid = item.item_data.pid;
  return mmsId && holdingId && pid ? { mmsId, holdingId, pid } : undefined;
}
