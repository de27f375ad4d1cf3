import type { Config } from "../../src/config/config.js";
import { validateConfig } from "../../src/config/validate.js";
import { silentLogger, type Logger } from "../../src/runtime/logger.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import {
  DEFAULT_API_KEYS,
  defaultFixture,
  formatId,
  IdPrefix,
  startAlmaSimulator,
  type AlmaFixture,
  type AlmaSimulator,
  type FixtureInstitution,
} from "../../src/sandbox/alma/index.js";

const AB = "0001";
const RS = "0003";
export const abItem = (n: number) => formatId(IdPrefix.item, n, AB);
export const abBib = (n: number) => formatId(IdPrefix.bib, n, AB);
export const abHolding = (n: number) => formatId(IdPrefix.holding, n, AB);
export const abRequest = (n: number) => formatId(IdPrefix.request, n, AB);

/** Desks named only here and in the configuration, so a scan at them shows the desk came from the config. */
export const ABRS_DESK = "RS_RETURNS_DESK";
export const ABMAIN_DESK = "MAIN_CIRC_DESK";

/** A user of AB whose primary id holds dashes, as the source-request tag must carry it. */
export const DASHED_USER = "ab-mary-ann-lee";

/**
 * The simulator's default consortium, plus what these tests need:
 * - AB item 2 (c.2, barcode 31234000123457) sits in a temporary location of ABMAIN; its SCF copy exists;
 * - AB item 1 (31234000123456, the fixture's requested item) has a second waiting request;
 * - AB item 3 (31234000223344) has no request, and an SCF copy;
 * - a title-level request on AB bib 2 by `ab-jdoe`, and an item-level one on item 4 by `ab-mary-ann-lee`;
 * - AB item 4 (31234000334455) is on loan at home, and has an SCF copy.
 */
export function scanCancelFixture(): AlmaFixture {
  const fixture = structuredClone(defaultFixture);
  const scf = institution(fixture, "01AAA_RS");
  const ab = institution(fixture, "01AAA_AB");
  ab.libraries!.find((library) => library.code === "ABRS")!.circ_desks!.push(ABRS_DESK);
  ab.libraries!.find((library) => library.code === "ABMAIN")!.circ_desks!.push(ABMAIN_DESK);
  const item2 = ab.items!.find((item) => item.pid === abItem(2))!;
  item2.holding_data = {
    in_temp_location: true,
    temp_library: { value: "ABMAIN", desc: "AB Main Library" },
    temp_location: { value: "ref", desc: "Reference" },
  };
  scf.items!.push(
    scfCopy(2, "31234000123457X", scf.items![0]!.mms_id, scf.items![0]!.holding_id),
    scfCopy(3, "31234000223344X", scf.items![0]!.mms_id, scf.items![0]!.holding_id),
    scfCopy(4, "31234000334455X", scf.items![0]!.mms_id, scf.items![0]!.holding_id),
  );
  // AB item 4 (31234000334455) is on loan to a patron at home.
  ab.loans = [
    ...(ab.loans ?? []),
    {
      loan_id: formatId(IdPrefix.loan, 1, AB),
      user_id: "ab-jdoe",
      item_id: abItem(4),
      mms_id: abBib(3),
      holding_id: abHolding(3),
      library: "ABRS",
      circ_desk: "DEFAULT_CIRC_DESK",
    },
  ];
  ab.users!.push({
    ...structuredClone(ab.users![0]!),
    primary_id: DASHED_USER,
    first_name: "Mary Ann",
    last_name: "Lee",
  });
  ab.requests!.push(
    {
      request_id: abRequest(2),
      user_primary_id: "ab-jdoe",
      request_type: "HOLD",
      mms_id: abBib(1),
      item_id: abItem(1),
      holding_id: abHolding(1),
      request_status: "NOT_STARTED",
    },
    {
      request_id: abRequest(3),
      user_primary_id: "ab-jdoe",
      request_type: "HOLD",
      mms_id: abBib(2),
      request_status: "NOT_STARTED",
    },
    {
      request_id: abRequest(4),
      user_primary_id: DASHED_USER,
      request_type: "HOLD",
      mms_id: abBib(3),
      item_id: abItem(4),
      holding_id: abHolding(3),
      request_status: "NOT_STARTED",
    },
  );
  return fixture;
}

function scfCopy(n: number, barcode: string, mmsId: string, holdingId: string) {
  return {
    pid: formatId(IdPrefix.item, 100 + n, RS),
    mms_id: mmsId,
    holding_id: holdingId,
    item_data: { barcode, provenance: { value: "01AAA_AB", desc: "AB University" } },
  };
}

function institution(fixture: AlmaFixture, code: string): FixtureInstitution {
  const found = fixture.institutions.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} in the fixture`);
  return found;
}

/** The configuration of a run against the simulator at `gateway`, writing its reports under `dir`. */
export function simConfig(dir: string, gateway: string): Config {
  return validateConfig(simConfigJson(gateway), { source: "test", baseDir: dir, env: {} }).config;
}

/** The same configuration as written in a file (for the command-line tests). */
export function simConfigJson(gateway: string): Record<string, unknown> {
  return {
    gateway,
    remote_storage_inst: "01AAA_RS",
    remote_storage_apikey: DEFAULT_API_KEYS["01AAA_RS"],
    webhook_secret: "sim-webhook-secret-42",
    state_dir: "state",
    institutions: [
      {
        code: "01AAA_AB",
        apikey: DEFAULT_API_KEYS["01AAA_AB"],
        publishing_job_id: "S987654321",
        requests_job_id: "S123456789",
        libraries: [
          { code: "ABRS", circ_desc: ABRS_DESK, remote_storage_location: ["rs", "rs_annex"] },
          { code: "ABMAIN", circ_desc: ABMAIN_DESK },
        ],
      },
      { code: "01AAA_CD", apikey: DEFAULT_API_KEYS["01AAA_CD"], libraries: [{ code: "CDRS" }] },
    ],
    alma: {
      retry_initial_delay_ms: 1,
      retry_max_delay_ms: 5,
      retry_max_total_ms: 200,
      connect_timeout_ms: 2000,
      read_timeout_ms: 5000,
    },
    webhook: { max_attempts: 2, retry_delay_ms: 0 },
    log: { level: "error" },
  };
}

export function runContext(config: Config, options: { dryRun?: boolean; logger?: Logger } = {}): RunContext {
  return {
    config,
    logger: options.logger ?? silentLogger(),
    dryRun: options.dryRun ?? false,
    progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
    signal: new AbortController().signal,
  };
}

export function startSimulator(): Promise<AlmaSimulator> {
  return startAlmaSimulator({ fixture: scanCancelFixture(), rateLimitPerSecond: 10_000 });
}
