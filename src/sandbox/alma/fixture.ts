import { FIRST_GENERATED_ID } from "./ids.js";
import {
  authorOf,
  buildBibRecord,
  buildHoldingRecord,
  setControlField,
  subfieldValues,
  titleOf,
} from "./marc.js";
import type {
  AreaPermission,
  BibRecord,
  HoldingRecord,
  InstitutionState,
  ItemData,
  ItemRecord,
  IntegrationProfileRecord,
  JobRecord,
  JsonObject,
  LoanRecord,
  LocationRecord,
  RequestRecord,
  SetRecord,
  SimulatorState,
  UserRecord,
} from "./types.js";
import { parseXml, serializeXml } from "./xml.js";

/** The JSON a simulator starts from. Ids are written out (Alma-style) so tests can name records. */
export interface AlmaFixture {
  network_zone?: { code: string; id_suffix?: string; bibs?: FixtureBib[] };
  institutions: FixtureInstitution[];
}

export interface FixtureInstitution {
  code: string;
  apikey: string;
  /** 4 digits; defaults to the institution's position (0001, 0002, …). */
  id_suffix?: string;
  /** Overrides the simulator's `dailyBudget` for this institution. */
  daily_budget?: number;
  /** Per API area (`bibs`, `users`, `conf`, …); a missing area is read/write. */
  permissions?: Record<string, AreaPermission>;
  libraries?: { code: string; name: string; locations?: LocationRecord[]; circ_desks?: string[] }[];
  users?: UserRecord[];
  bibs?: FixtureBib[];
  holdings?: FixtureHolding[];
  items?: FixtureItem[];
  requests?: FixtureRequest[];
  loans?: FixtureLoan[];
  sets?: SetRecord[];
  jobs?: JobRecord[];
  integration_profiles?: IntegrationProfileRecord[];
}

export interface FixtureBib {
  mms_id: string;
  title: string;
  author?: string;
  /** 035 $a values; a `(EXLNZ-…)` one links the bib to the Network Zone. */
  network_number?: string[];
  /** A MARC-XML `<record>`; built from the fields above when absent. */
  record?: string;
  suppress_from_publishing?: boolean;
  created_date?: string;
}

export interface FixtureHolding {
  holding_id: string;
  mms_id: string;
  library: string;
  location: string;
  call_number?: string;
  suppress_from_publishing?: boolean;
}

export interface FixtureItem {
  pid: string;
  mms_id: string;
  holding_id: string;
  /** Library and location default to the holding's. */
  item_data: Omit<ItemData, "barcode"> & { barcode: string };
  holding_data?: JsonObject;
  extra?: JsonObject;
}

export type FixtureRequest = Omit<RequestRecord, "request_status" | "request_date" | "fields"> &
  Partial<Pick<RequestRecord, "request_status" | "request_date" | "fields">>;

export type FixtureLoan = Omit<LoanRecord, "loan_status" | "loan_date" | "due_date" | "item_barcode"> &
  Partial<Pick<LoanRecord, "loan_status" | "loan_date" | "due_date">>;

/** The fixture refers to something that does not exist (a holding's bib, an item's holding…). */
export class FixtureError extends Error {
  override readonly name = "FixtureError";
}

const FIXTURE_DATE = "2024-01-15Z";

/** The Network Zone id inside a `(EXLNZ-…)id` 035 value. */
export function networkZoneId(networkNumber: string): string | undefined {
  const match = /^\(EXLNZ-[^)]*\)(.+)$/.exec(networkNumber.trim());
  return match?.[1];
}

function buildBib(bib: FixtureBib): BibRecord {
  const networkNumbers = bib.network_number ?? [];
  let record: string;
  let network_number = networkNumbers;
  let title = bib.title;
  let author = bib.author;
  if (bib.record) {
    const parsed = parseXml(bib.record);
    setControlField(parsed, "001", bib.mms_id);
    record = serializeXml(parsed);
    network_number = networkNumbers.length > 0 ? networkNumbers : subfieldValues(parsed, "035", "a");
    title = bib.title || titleOf(parsed);
    author ??= authorOf(parsed);
  } else {
    record = serializeXml(buildBibRecord({ mms_id: bib.mms_id, title, author, network_number }));
  }
  const nz = network_number.map(networkZoneId).find((id) => id !== undefined);
  return {
    mms_id: bib.mms_id,
    title,
    ...(author ? { author } : {}),
    network_number,
    record,
    ...(nz ? { linked_nz_mms_id: nz } : {}),
    suppress_from_publishing: bib.suppress_from_publishing ?? false,
    created_date: bib.created_date ?? FIXTURE_DATE,
  };
}

function buildHolding(holding: FixtureHolding): HoldingRecord {
  return {
    holding_id: holding.holding_id,
    mms_id: holding.mms_id,
    library: holding.library,
    location: holding.location,
    ...(holding.call_number ? { call_number: holding.call_number } : {}),
    record: serializeXml(buildHoldingRecord(holding)),
    suppress_from_publishing: holding.suppress_from_publishing ?? false,
    created_date: FIXTURE_DATE,
  };
}

function duplicates(values: string[]): string[] {
  return values.filter((value, index) => value !== "" && values.indexOf(value) !== index);
}

/** Ids and barcodes are unique; requests and loans name records that exist. */
function checkReferences(code: string, input: FixtureInstitution, items: ItemRecord[]): void {
  const lists: [string, string[]][] = [
    ["bib", (input.bibs ?? []).map((bib) => bib.mms_id)],
    ["holding", (input.holdings ?? []).map((holding) => holding.holding_id)],
    ["item", items.map((item) => item.pid)],
    ["barcode", items.map((item) => item.item_data.barcode)],
    ["user", (input.users ?? []).map((user) => user.primary_id)],
    ["request", (input.requests ?? []).map((request) => request.request_id)],
  ];
  for (const [kind, values] of lists) {
    const [repeated] = duplicates(values);
    if (repeated !== undefined) throw new FixtureError(`${code}: ${kind} ${repeated} appears twice`);
  }
  const users = new Set((input.users ?? []).map((user) => user.primary_id));
  const bibs = new Set((input.bibs ?? []).map((bib) => bib.mms_id));
  for (const request of input.requests ?? []) {
    if (!bibs.has(request.mms_id)) {
      throw new FixtureError(`${code}: request ${request.request_id} names unknown bib ${request.mms_id}`);
    }
    if (request.item_id && !items.some((item) => item.pid === request.item_id)) {
      throw new FixtureError(`${code}: request ${request.request_id} names unknown item ${request.item_id}`);
    }
    if (!users.has(request.user_primary_id)) {
      throw new FixtureError(
        `${code}: request ${request.request_id} names unknown user ${request.user_primary_id}`,
      );
    }
  }
  for (const loan of input.loans ?? []) {
    if (!users.has(loan.user_id))
      throw new FixtureError(`${code}: loan ${loan.loan_id} names unknown user ${loan.user_id}`);
  }
}

function buildInstitution(input: FixtureInstitution, position: number): InstitutionState {
  const code = input.code;
  const libraries = (input.libraries ?? []).map((library) => ({
    code: library.code,
    name: library.name,
    locations: library.locations ?? [],
    circ_desks: library.circ_desks ?? ["DEFAULT_CIRC_DESK"],
  }));
  const bibs = (input.bibs ?? []).map(buildBib);
  const holdings = (input.holdings ?? []).map(buildHolding);
  for (const holding of holdings) {
    if (!bibs.some((bib) => bib.mms_id === holding.mms_id)) {
      throw new FixtureError(`${code}: holding ${holding.holding_id} names unknown bib ${holding.mms_id}`);
    }
  }
  const items: ItemRecord[] = (input.items ?? []).map((item) => {
    const holding = holdings.find((candidate) => candidate.holding_id === item.holding_id);
    if (!holding || holding.mms_id !== item.mms_id) {
      throw new FixtureError(`${code}: item ${item.pid} names unknown holding ${item.holding_id}`);
    }
    return {
      pid: item.pid,
      mms_id: item.mms_id,
      holding_id: item.holding_id,
      item_data: {
        library: { value: holding.library },
        location: { value: holding.location },
        base_status: { value: "1", desc: "Item in place" },
        creation_date: FIXTURE_DATE,
        modification_date: FIXTURE_DATE,
        ...item.item_data,
      },
      holding_data: item.holding_data ?? { in_temp_location: false },
      extra: item.extra ?? {},
    };
  });
  const loans: LoanRecord[] = (input.loans ?? []).map((loan) => {
    const item = items.find((candidate) => candidate.pid === loan.item_id);
    if (!item) throw new FixtureError(`${code}: loan ${loan.loan_id} names unknown item ${loan.item_id}`);
    const record: LoanRecord = {
      loan_status: "ACTIVE",
      loan_date: "2024-02-01T10:00:00Z",
      due_date: "2099-12-31T23:59:00Z",
      ...loan,
      item_barcode: item.item_data.barcode,
    };
    if (record.loan_status === "ACTIVE") {
      item.item_data.process_type = { value: "LOAN", desc: "Loan" };
      item.item_data.base_status = { value: "0", desc: "Item not in place" };
    }
    return record;
  });
  const requests: RequestRecord[] = (input.requests ?? []).map((request) => ({
    request_status: "NOT_STARTED",
    request_date: FIXTURE_DATE,
    fields: {},
    ...request,
  }));
  checkReferences(code, input, items);
  return {
    code,
    apikey: input.apikey,
    id_suffix: input.id_suffix ?? String(position + 1).padStart(4, "0"),
    ...(input.daily_budget === undefined ? {} : { daily_budget: input.daily_budget }),
    permissions: input.permissions ?? {},
    libraries,
    users: structuredClone(input.users ?? []),
    bibs,
    holdings,
    items,
    requests,
    loans,
    sets: structuredClone(input.sets ?? []),
    jobs: structuredClone(input.jobs ?? []),
    integration_profiles: structuredClone(input.integration_profiles ?? []),
    next_id: FIRST_GENERATED_ID,
  };
}

/** A fresh state from a fixture (the fixture itself is never modified). */
export function buildState(input: AlmaFixture): SimulatorState {
  const fixture = structuredClone(input);
  const institutions: Record<string, InstitutionState> = {};
  const keys = new Set<string>();
  fixture.institutions.forEach((institution, position) => {
    if (institutions[institution.code])
      throw new FixtureError(`institution ${institution.code} appears twice`);
    if (keys.has(institution.apikey)) throw new FixtureError(`two institutions share one API key`);
    keys.add(institution.apikey);
    institutions[institution.code] = buildInstitution(institution, position);
  });
  const zone = fixture.network_zone ?? { code: "01AAA_NETWORK" };
  return {
    institutions,
    network_zone: {
      code: zone.code,
      id_suffix: zone.id_suffix ?? "0000",
      bibs: (zone.bibs ?? []).map(buildBib),
    },
  };
}
