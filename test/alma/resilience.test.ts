import { expect } from "chai";
import pLimit from "p-limit";
import { createAlmaClients } from "../../src/alma/create-alma-clients.js";
import { AlmaDailyLimitError, AlmaError } from "../../src/alma/errors.js";
import { exitCodeForError } from "../../src/cli/run-command.js";
import { ExitCode } from "../../src/runtime/exit-codes.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { formatId, IdPrefix, NZ_IDS, type FaultRule } from "../../src/sandbox/alma/index.js";
import { fastAlmaSettings } from "./helpers/config.js";
import { busiestWindow } from "./helpers/schedule.js";
import { AB, SCF, fixtureCopy, startSimulatedAlma, type SimulatedAlma } from "./helpers/simulator.js";

const RS_SUFFIX = "0003";
const SCF_BIB = formatId(IdPrefix.bib, 1, RS_SUFFIX);
const SCF_HOLDING = formatId(IdPrefix.holding, 1, RS_SUFFIX);
const SCF_ITEM = formatId(IdPrefix.item, 1, RS_SUFFIX);
const SYSTEM_USER = "01AAA_AB-ABRS";

/** Four fault kinds (503 and reset, before and after Alma acted), together hitting 20 % of the calls. */
function twentyPercentFaults(method?: string): FaultRule[] {
  const rate = 1 - 0.8 ** (1 / 4);
  const on = method ? { method } : {};
  return [
    { kind: "error", status: 503, phase: "before", rate, institution: SCF, ...on },
    { kind: "error", status: 503, phase: "after", rate, institution: SCF, ...on },
    { kind: "reset", phase: "before", rate, institution: SCF, ...on },
    { kind: "reset", phase: "after", rate, institution: SCF, ...on },
  ];
}

/** The default fixture with `count` more SCF items in the first holding, barcodes `S000X`, `S001X`, … */
function fixtureWithScfItems(count: number) {
  const fixture = fixtureCopy();
  const scf = fixture.institutions.find((institution) => institution.code === SCF)!;
  for (let index = 0; index < count; index += 1) {
    scf.items!.push({
      pid: formatId(IdPrefix.item, 1000 + index, RS_SUFFIX),
      mms_id: SCF_BIB,
      holding_id: SCF_HOLDING,
      item_data: { barcode: scfBarcode(index), internal_note_1: "old", statistics_note_2: "keep me" },
    });
  }
  return fixture;
}
const scfBarcode = (index: number) => `S${String(index).padStart(3, "0")}X`;

describe("Alma client under load and faults (simulator)", () => {
  let env: SimulatedAlma | undefined;
  afterEach(async () => {
    expect(env?.internalErrors ?? []).to.deep.equal([]);
    await env?.stop();
    env = undefined;
  });

  it("plays a burst of 500 calls on one institution with no 429, spread over at least 500/25 s", async () => {
    // One simulated second lasts 100 ms for both the limiter and the simulator's rate window and call log.
    env = await startSimulatedAlma({ secondMs: 100 });
    const client = env.alma.member(AB);
    const users = await Promise.all(Array.from({ length: 500 }, () => client.users.get("ab-jdoe")));
    expect(users.every((user) => user?.primary_id === "ab-jdoe")).to.equal(true);

    const calls = env.sim.callsTo("GET", "/users/ab-jdoe$", AB);
    expect(calls).to.have.length(500);
    expect(calls.filter((call) => call.status === 429)).to.have.length(0);
    expect(calls.every((call) => call.status === 200)).to.equal(true);

    const releases = env.alma.limiters.for(AB).releaseLog();
    expect(releases).to.have.length(500);
    expect(busiestWindow(releases, 1000)).to.be.at.most(25);
    expect(releases.at(-1)! - releases[0]! + 1000).to.be.at.least((500 / 25) * 1000);

    const arrivals = calls.map((call) => call.time);
    expect(busiestWindow(arrivals, 1000)).to.be.at.most(25);
    expect(arrivals.at(-1)! - arrivals[0]! + 1000).to.be.at.least((500 / 25) * 1000);
  });

  it("with 20 % injected 503s and resets, completes 200 item updates (read, change, PUT) with retries", async () => {
    env = await startSimulatedAlma({ fixture: fixtureWithScfItems(200), secondMs: 50 });
    env.sim.setFaults(twentyPercentFaults(), { seed: 7 });
    const scf = env.alma.scf;
    const limit = pLimit(8);
    await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        limit(async () => {
          const item = (await scf.items.findByBarcode(scfBarcode(index)))!;
          item.item_data.internal_note_1 = `updated ${index}`;
          return scf.items.update(item);
        }),
      ),
    );
    const items = env.sim.institution(SCF).items.filter((item) => item.item_data.barcode.startsWith("S"));
    expect(items).to.have.length(200);
    for (const item of items) {
      expect(item.item_data.internal_note_1).to.equal(
        `updated ${Number(item.item_data.barcode.slice(1, 4))}`,
      );
      expect(item.item_data.statistics_note_2).to.equal("keep me");
    }
    const calls = env.sim.calls.filter((call) => call.institution === SCF);
    const faulted = calls.filter((call) => call.fault);
    expect(faulted.length).to.be.within(calls.length * 0.12, calls.length * 0.28);
    expect(faulted.some((call) => call.method === "PUT")).to.equal(true);
    // Retries: more GETs by barcode than the 200 reads, more calls than the 400 of a fault-free run.
    expect(env.sim.callsTo("GET", "^/almaws/v1/items$", SCF).length).to.be.greaterThan(200);
    expect(calls.length).to.be.greaterThan(400);
    expect(calls.filter((call) => call.method === "POST")).to.have.length(0);
    expect(calls.filter((call) => call.status === 429)).to.have.length(0);
  });

  it("with 20 % injected 503s and resets, creates 200 items with no POST taking effect twice", async () => {
    env = await startSimulatedAlma({ secondMs: 50 });
    env.sim.setFaults(twentyPercentFaults(), { seed: 11 });
    const scf = env.alma.scf;
    const limit = pLimit(8);
    await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        limit(() => scf.items.create(SCF_BIB, SCF_HOLDING, { item_data: { barcode: `N${index}X` } })),
      ),
    );
    const barcodes = env.sim
      .institution(SCF)
      .items.map((item) => item.item_data.barcode)
      .filter((barcode) => barcode.startsWith("N"));
    expect(barcodes).to.have.length(200);
    expect(new Set(barcodes).size).to.equal(200);

    const posts = env.sim.callsTo("POST", `/holdings/${SCF_HOLDING}/items$`, SCF);
    // A POST took effect when it was answered 200 or when its answer was lost after Alma acted.
    const effective = posts.filter((call) => call.status === 200 || call.fault?.includes(":after"));
    expect(effective).to.have.length(200);
    const uncertain = posts.filter((call) => call.fault);
    expect(uncertain.length).to.be.greaterThan(10);
    // Every uncertain POST was followed by a look-up by barcode, never by a blind replay.
    const lookups = env.sim.callsTo("GET", "^/almaws/v1/items$", SCF);
    expect(lookups.length).to.be.at.least(uncertain.length);
    expect(posts.length).to.be.below(200 + uncertain.length + 1);
  });

  describe("a write whose answer never comes (time-out) leads to a look-up, not a blind replay", () => {
    const writes: [
      string,
      string,
      (env: SimulatedAlma) => Promise<unknown>,
      RegExp,
      (env: SimulatedAlma) => number,
    ][] = [
      [
        "item creation",
        `/holdings/${SCF_HOLDING}/items$`,
        (env) => env.alma.scf.items.create(SCF_BIB, SCF_HOLDING, { item_data: { barcode: "T1X" } }),
        /^GET \/almaws\/v1\/items\?item_barcode=T1X$/,
        (env) => env.sim.institution(SCF).items.filter((item) => item.item_data.barcode === "T1X").length,
      ],
      [
        "holding creation",
        `/bibs/${SCF_BIB}/holdings$`,
        (env) => env.alma.scf.holdings.create(SCF_BIB, "RS", "rs_annex"),
        new RegExp(`^GET /almaws/v1/bibs/${SCF_BIB}/holdings$`),
        (env) =>
          env.sim.institution(SCF).holdings.filter((holding) => holding.location === "rs_annex").length,
      ],
      [
        "bib creation from the Network Zone",
        "/bibs$",
        (env) => env.alma.scf.bibs.createFromNz(NZ_IDS.walden),
        new RegExp(`^GET /almaws/v1/bibs\\?nz_mms_id=${NZ_IDS.walden}&view=full&expand=p_avail$`),
        (env) => env.sim.institution(SCF).bibs.filter((bib) => bib.linked_nz_mms_id === NZ_IDS.walden).length,
      ],
      [
        "item request",
        `/items/${SCF_ITEM}/requests$`,
        (env) =>
          env.alma.scf.requests.createItemRequest(
            { mmsId: SCF_BIB, holdingId: SCF_HOLDING, pid: SCF_ITEM },
            SYSTEM_USER,
            {
              request_type: "HOLD",
              pickup_location_type: "USER_HOME_ADDRESS",
              comment: "Internal identifier: 42",
            },
          ),
        new RegExp(
          `^GET /almaws/v1/bibs/${SCF_BIB}/holdings/${SCF_HOLDING}/items/${SCF_ITEM}/requests\\?limit=100&offset=0$`,
        ),
        (env) =>
          env.sim.institution(SCF).requests.filter((request) => request.comment === "Internal identifier: 42")
            .length,
      ],
      [
        "title request",
        `/bibs/${SCF_BIB}/requests$`,
        (env) =>
          env.alma.scf.requests.createBibRequest(SCF_BIB, SYSTEM_USER, {
            request_type: "HOLD",
            pickup_location_type: "USER_HOME_ADDRESS",
            comment: "{Source Request 01AAA_AB-24-ab-jdoe}",
          }),
        new RegExp(`^GET /almaws/v1/bibs/${SCF_BIB}/requests\\?limit=100&offset=0$`),
        (env) =>
          env.sim
            .institution(SCF)
            .requests.filter((request) => request.comment === "{Source Request 01AAA_AB-24-ab-jdoe}").length,
      ],
      [
        "linked user creation",
        "/users$",
        (env) => env.alma.scf.users.createLinked(AB, "ab-jdoe"),
        /^GET \/almaws\/v1\/users\/ab-jdoe\?source_institution_code=01AAA_AB$/,
        (env) => env.sim.institution(SCF).users.filter((user) => user.source_user_id === "ab-jdoe").length,
      ],
    ];

    for (const [name, path, write, lookup, count] of writes) {
      it(`${name}: one POST, then the look-up finds what it made`, async () => {
        env = await startSimulatedAlma({ alma: { read_timeout_ms: 150 } });
        env.sim.setFaults([{ kind: "timeout", method: "POST", path, ms: 400, institution: SCF, times: 1 }]);
        await write(env);
        const sequence = env.sim.calls
          .filter((call) => call.institution === SCF)
          .map((call) => {
            const query = new URLSearchParams(call.query).toString();
            return `${call.method} ${call.path}${query ? `?${query}` : ""}`;
          });
        expect(sequence).to.have.length(2);
        expect(sequence[0]!.split("?")[0]).to.match(new RegExp(`^POST .*${path}`));
        expect(sequence[1]).to.match(lookup);
        expect(count(env)).to.equal(1);
      });
    }

    it("loan creation: one POST, then the item's loans show the loan, which is returned and not made twice", async () => {
      env = await startSimulatedAlma({ fixture: fixtureWithScfItems(1), alma: { read_timeout_ms: 150 } });
      const address = {
        mmsId: SCF_BIB,
        holdingId: SCF_HOLDING,
        pid: formatId(IdPrefix.item, 1000, RS_SUFFIX),
      };
      env.sim.setFaults([
        { kind: "timeout", method: "POST", path: "/loans$", ms: 400, institution: SCF, times: 1 },
      ]);
      const loan = await env.alma.scf.loans.create(SYSTEM_USER, address, {
        circ_desk: { value: "DEFAULT_CIRC_DESK" },
        library: { value: "RS" },
      });
      const sequence = env.sim.calls
        .filter((call) => call.institution === SCF)
        .map((call) => `${call.method} ${call.path}`);
      expect(sequence).to.deep.equal([
        `POST /almaws/v1/users/${SYSTEM_USER}/loans`,
        `GET /almaws/v1/bibs/${SCF_BIB}/holdings/${SCF_HOLDING}/items/${address.pid}/loans`,
      ]);
      const stored = env.sim.institution(SCF).loans.filter((candidate) => candidate.item_id === address.pid);
      expect(stored).to.have.length(1);
      expect(loan).to.include({ loan_id: stored[0]!.loan_id, user_id: SYSTEM_USER, loan_status: "ACTIVE" });
    });

    it("loan creation whose POST was lost before Alma acted: the item has no loan, so it lends again", async () => {
      env = await startSimulatedAlma({ fixture: fixtureWithScfItems(1) });
      const address = {
        mmsId: SCF_BIB,
        holdingId: SCF_HOLDING,
        pid: formatId(IdPrefix.item, 1000, RS_SUFFIX),
      };
      env.sim.setFaults([
        { kind: "error", status: 503, phase: "before", method: "POST", institution: SCF, times: 1 },
      ]);
      await env.alma.scf.loans.create(SYSTEM_USER, address, {
        circ_desk: { value: "DEFAULT_CIRC_DESK" },
        library: { value: "RS" },
      });
      const sequence = env.sim.calls.filter((call) => call.institution === SCF).map((call) => call.method);
      expect(sequence).to.deep.equal(["POST", "GET", "POST"]);
      expect(
        env.sim.institution(SCF).loans.filter((candidate) => candidate.item_id === address.pid),
      ).to.have.length(1);
    });

    it("item creation whose POST was lost before Alma acted: the look-up finds nothing, so it writes again", async () => {
      env = await startSimulatedAlma();
      env.sim.setFaults([{ kind: "reset", phase: "before", method: "POST", institution: SCF, times: 1 }]);
      await env.alma.scf.items.create(SCF_BIB, SCF_HOLDING, { item_data: { barcode: "T2X" } });
      const sequence = env.sim.calls.filter((call) => call.institution === SCF).map((call) => call.method);
      expect(sequence).to.deep.equal(["POST", "GET", "POST"]);
      expect(
        env.sim.institution(SCF).items.filter((item) => item.item_data.barcode === "T2X"),
      ).to.have.length(1);
    });
  });

  it("DAILY_THRESHOLD stops the run (exit 3) naming the institution, and no more calls go to it", async () => {
    const fixture = fixtureCopy();
    fixture.institutions.find((institution) => institution.code === AB)!.daily_budget = 3;
    env = await startSimulatedAlma({ fixture });
    const client = env.alma.member(AB);
    for (let index = 0; index < 3; index += 1) await client.users.get("ab-jdoe");
    let caught: unknown;
    try {
      await client.items.findByBarcode("31234000123456");
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(AlmaDailyLimitError);
    expect((caught as Error).message).to.equal(
      "Alma's daily API limit is reached for institution 01AAA_AB (429 DAILY_THRESHOLD); the run stops; " +
        "Alma accepts calls again the next day",
    );
    expect(exitCodeForError(caught)).to.equal(ExitCode.Aborted);
    let again: unknown;
    try {
      await client.users.get("ab-jdoe");
    } catch (error) {
      again = error;
    }
    expect(again).to.be.instanceOf(AlmaDailyLimitError);
    expect(env.sim.callsTo("GET", "", AB)).to.have.length(4);
    expect(env.alma.budget.lowest(AB)).to.equal(0);
    // The SCF has its own budget and keeps working.
    expect(await env.alma.scf.users.get(SYSTEM_USER)).to.not.equal(undefined);
  });

  it("a key the simulator does not know gets 401 UNAUTHORIZED, not retried", async () => {
    env = await startSimulatedAlma();
    const alma = createAlmaClients(
      {
        gateway: env.sim.url,
        remote_storage_inst: SCF,
        remote_storage_apikey: "l7xx-wrong-key",
        institutions: [],
        alma: fastAlmaSettings(),
      },
      silentLogger(),
    );
    let caught: unknown;
    try {
      await alma.scf.items.findByBarcode("31234000123456X");
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(AlmaError);
    expect(caught).to.include({ status: 401, errorCode: "UNAUTHORIZED", retries: 0 });
    expect(env.sim.calls).to.have.length(1);
  });
});
