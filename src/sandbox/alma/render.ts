import type {
  BibRecord,
  HoldingRecord,
  InstitutionState,
  ItemRecord,
  JsonObject,
  LibraryRecord,
  LoanRecord,
  RequestRecord,
  UserRecord,
} from "./types.js";

/** Alma's date form: `2024-03-05Z`. */
export function almaDate(time: number): string {
  return `${new Date(time).toISOString().slice(0, 10)}Z`;
}

/** Alma's date-time form: `2024-03-05T10:00:00Z`. */
export function almaDateTime(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function libraryName(institution: InstitutionState, code: string): string | undefined {
  return institution.libraries.find((library) => library.code === code)?.name;
}

function locationName(institution: InstitutionState, libraryCode: string, code: string): string | undefined {
  return institution.libraries
    .find((library) => library.code === libraryCode)
    ?.locations.find((location) => location.code === code)?.name;
}

function valueDesc(value: string, desc: string | undefined): JsonObject {
  return desc === undefined ? { value } : { value, desc };
}

/** The `bib_data` block of items, holdings lists and requests. */
export function bibData(bib: BibRecord, apiBase: string): JsonObject {
  return {
    link: `${apiBase}/bibs/${bib.mms_id}`,
    mms_id: bib.mms_id,
    title: bib.title,
    ...(bib.author ? { author: bib.author } : {}),
    network_number: [...bib.network_number],
  };
}

export function renderBib(bib: BibRecord, apiBase: string, view: string): JsonObject {
  return {
    mms_id: bib.mms_id,
    link: `${apiBase}/bibs/${bib.mms_id}`,
    record_format: "marc21",
    linked_record_id: bib.linked_nz_mms_id ? { value: bib.linked_nz_mms_id, type: "NZ" } : {},
    title: bib.title,
    ...(bib.author ? { author: bib.author } : {}),
    network_number: [...bib.network_number],
    suppress_from_publishing: String(bib.suppress_from_publishing),
    created_date: bib.created_date,
    holdings: { link: `${apiBase}/bibs/${bib.mms_id}/holdings` },
    ...(view === "brief" ? {} : { anies: [bib.record] }),
  };
}

/** A row of `GET /bibs/{mms}/holdings`. */
export function renderHoldingSummary(
  institution: InstitutionState,
  holding: HoldingRecord,
  apiBase: string,
): JsonObject {
  return {
    link: `${apiBase}/bibs/${holding.mms_id}/holdings/${holding.holding_id}`,
    holding_id: holding.holding_id,
    library: valueDesc(holding.library, libraryName(institution, holding.library)),
    location: valueDesc(holding.location, locationName(institution, holding.library, holding.location)),
    ...(holding.call_number ? { call_number: holding.call_number } : {}),
    suppress_from_publishing: String(holding.suppress_from_publishing),
  };
}

export function renderHolding(
  institution: InstitutionState,
  holding: HoldingRecord,
  bib: BibRecord,
  apiBase: string,
): JsonObject {
  return {
    ...renderHoldingSummary(institution, holding, apiBase),
    created_by: "API",
    created_date: holding.created_date,
    bib_data: bibData(bib, apiBase),
    anies: [holding.record],
  };
}

export function renderItem(institution: InstitutionState, item: ItemRecord, apiBase: string): JsonObject {
  const bib = institution.bibs.find((candidate) => candidate.mms_id === item.mms_id);
  const holding = institution.holdings.find((candidate) => candidate.holding_id === item.holding_id);
  const library = holding?.library ?? item.item_data.library?.value ?? "";
  const location = holding?.location ?? item.item_data.location?.value ?? "";
  return {
    ...item.extra,
    link: `${apiBase}/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`,
    bib_data: bib ? bibData(bib, apiBase) : { mms_id: item.mms_id },
    holding_data: {
      ...item.holding_data,
      link: `${apiBase}/bibs/${item.mms_id}/holdings/${item.holding_id}`,
      holding_id: item.holding_id,
      ...(holding?.call_number ? { call_number: holding.call_number } : {}),
    },
    item_data: {
      ...withoutLoanFields(item.item_data),
      ...loanFieldsOf(institution, item),
      pid: item.pid,
      library: valueDesc(library, libraryName(institution, library)),
      location: valueDesc(location, locationName(institution, library, location)),
      requested: institution.requests.some(
        (request) =>
          request.item_id === item.pid &&
          request.request_status !== "CANCELLED" &&
          request.request_status !== "COMPLETED",
      ),
    },
  };
}

/** Alma computes these from the active loan; a value a client stored (read-modify-write) is not Alma's answer. */
function withoutLoanFields(itemData: ItemRecord["item_data"]): JsonObject {
  const { due_date: _dueDate, due_date_policy: _policy, ...rest } = itemData;
  return rest;
}

/** As Alma shows an item on loan: its due date and the loan policy's description. */
function loanFieldsOf(institution: InstitutionState, item: ItemRecord): JsonObject {
  const loan = institution.loans.find(
    (candidate) => candidate.item_id === item.pid && candidate.loan_status === "ACTIVE",
  );
  return loan ? { due_date: loan.due_date, due_date_policy: "Loanable" } : {};
}

export function renderRequest(institution: InstitutionState, request: RequestRecord): JsonObject {
  const bib = institution.bibs.find((candidate) => candidate.mms_id === request.mms_id);
  const item = request.item_id
    ? institution.items.find((candidate) => candidate.pid === request.item_id)
    : undefined;
  return {
    ...request.fields,
    request_id: request.request_id,
    user_primary_id: request.user_primary_id,
    request_type: request.request_type,
    request_status: request.request_status,
    mms_id: request.mms_id,
    ...(bib ? { title: bib.title } : {}),
    ...(bib?.author ? { author: bib.author } : {}),
    ...(request.item_id ? { item_id: request.item_id } : {}),
    ...(item ? { barcode: item.item_data.barcode } : {}),
    ...(request.holding_id ? { holding_id: request.holding_id } : {}),
    comment: request.comment ?? null,
    request_date: request.request_date,
  };
}

export function renderLoan(institution: InstitutionState, loan: LoanRecord, apiBase: string): JsonObject {
  const bib = institution.bibs.find((candidate) => candidate.mms_id === loan.mms_id);
  return {
    link: `${apiBase}/users/${loan.user_id}/loans/${loan.loan_id}`,
    loan_id: loan.loan_id,
    circ_desk: { value: loan.circ_desk },
    library: valueDesc(loan.library, libraryName(institution, loan.library)),
    user_id: loan.user_id,
    item_barcode: loan.item_barcode,
    item_id: loan.item_id,
    mms_id: loan.mms_id,
    holding_id: loan.holding_id,
    ...(bib ? { title: bib.title } : {}),
    loan_status: loan.loan_status,
    loan_date: loan.loan_date,
    due_date: loan.due_date,
    process_status: loan.loan_status === "ACTIVE" ? "NORMAL" : "COMPLETE",
    ...(loan.return_date ? { return_date: loan.return_date } : {}),
  };
}

export function renderUser(user: UserRecord, apiBase: string): JsonObject {
  return { ...structuredClone(user), link: `${apiBase}/users/${user.primary_id}` };
}

export function renderLibrary(library: LibraryRecord, apiBase: string): JsonObject {
  return { code: library.code, name: library.name, link: `${apiBase}/conf/libraries/${library.code}` };
}
