import { expect } from "chai";
import { createAlmaClients } from "../../src/alma/create-alma-clients.js";
import { barcodesFromSet } from "../../src/jobs/aspace2alma/alma-barcodes.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { startAlmaSimulator, type AlmaSimulator } from "../../src/sandbox/alma/index.js";
import { validateConfig } from "../../src/config/index.js";
import { runAspace2Alma } from "../../src/jobs/aspace2alma/job.js";
import { sourcesFromConfig } from "../../src/jobs/aspace2alma/sources.js";
import { exitCodeFor } from "../../src/runtime/run-report.js";
import { aspaceCleanSeedRepositories, SEED_ALMA_BARCODES } from "../../src/sandbox/aspace/index.js";
import { makeWorld, OUTPUT_DIR, type World } from "./world.js";

const KEY = "l7xx-aspace2alma-test-key-0000000001";

/** `count` members of an item set, each with its barcode as the description (as Alma lists them). */
function setMembers(count: number): { id: string; description: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `23${String(i).padStart(9, "0")}0001`,
    description: `3210100${String(i).padStart(7, "0")}`,
  }));
}

/** The configuration API of member 01AAA_AB, through the real client, against `alma`. */
function memberConf(alma: AlmaSimulator) {
  const config = validateConfig(
    {
      gateway: alma.url,
      remote_storage_inst: "01AAA_RS",
      remote_storage_apikey: "l7xx-unused-scf-key-000000000000000",
      institutions: [{ code: "01AAA_AB", apikey: KEY }],
    },
    { source: "test", baseDir: "/tmp" },
  ).config;
  return createAlmaClients(config, silentLogger()).member("01AAA_AB").conf;
}

describe("aspace2alma: barcodes from an Alma set (against the Alma simulator)", () => {
  let alma: AlmaSimulator;

  afterEach(async () => {
    await alma?.stop();
  });

  it("reads every member's description, 100 a page, the pages after the first a few at once", async () => {
    const members = setMembers(250);
    alma = await startAlmaSimulator({
      fixture: {
        institutions: [
          {
            code: "01AAA_AB",
            apikey: KEY,
            sets: [{ id: "9988", name: "SC barcodes", content: "ITEM", members }],
          },
        ],
      },
    });
    const conf = memberConf(alma);

    const barcodes = await barcodesFromSet(conf, "9988", silentLogger());

    expect(barcodes.size).to.equal(250);
    expect(barcodes.has("32101000000000")).to.equal(true);
    expect(barcodes.has("32101000000249")).to.equal(true);
    const calls = alma.callsTo("GET", "/almaws/v1/conf/sets/9988/members", "01AAA_AB");
    expect(calls.map((c) => [c.query.limit, c.query.offset]).sort()).to.deep.equal([
      ["100", "0"],
      ["100", "100"],
      ["100", "200"],
    ]);
  });

  it("has more than one set page in flight at once when Alma is slow, within the rate limit", async () => {
    const latencyMs = 150;
    const members = setMembers(450);
    alma = await startAlmaSimulator({
      fixture: {
        institutions: [
          { code: "01AAA_AB", apikey: KEY, sets: [{ id: "9988", name: "S", content: "ITEM", members }] },
        ],
      },
      faults: [{ kind: "latency", path: "/conf/sets/9988/members", ms: latencyMs }],
    });
    const conf = memberConf(alma);

    const barcodes = await barcodesFromSet(conf, "9988", silentLogger());

    expect(barcodes.size).to.equal(450);
    const calls = alma.callsTo("GET", "/almaws/v1/conf/sets/9988/members", "01AAA_AB");
    expect(calls).to.have.length(5);
    // Every answer takes at least latencyMs: a page that arrived sooner than that after another overlapped it.
    const arrivals = calls.map((call) => call.time).sort((a, b) => a - b);
    const overlapping = arrivals.slice(1).filter((time, i) => time - arrivals[i]! < latencyMs);
    expect(
      overlapping.length,
      `arrivals ${arrivals.map((t) => t - arrivals[0]!).join(", ")} ms`,
    ).to.be.greaterThan(0);
    expect(alma.callsTo("GET", "/almaws/v1/conf/sets/9988/members").every((c) => c.status === 200)).to.equal(
      true,
    );
  });

  it("stops (AbortError) when the set does not exist", async () => {
    alma = await startAlmaSimulator({ fixture: { institutions: [{ code: "01AAA_AB", apikey: KEY }] } });
    const conf = memberConf(alma);
    const error = await barcodesFromSet(conf, "404404", silentLogger()).catch((e: unknown) => e);
    expect((error as Error).name).to.equal("AbortError");
    expect((error as Error).message).to.match(/^cannot read the members of Alma set 404404: /);
  });

  describe("the whole job with the clients made from the configuration", () => {
    let world: World;

    afterEach(async () => {
      await world?.close();
    });

    it("exports with barcodes.source set, leaving the Analytics report alone", async () => {
      alma = await startAlmaSimulator({
        fixture: {
          institutions: [
            {
              code: "01AAA_AB",
              apikey: KEY,
              sets: [
                {
                  id: "9988",
                  name: "SC barcodes",
                  content: "ITEM",
                  members: SEED_ALMA_BARCODES.map((barcode, i) => ({ id: String(i), description: barcode })),
                },
              ],
            },
          ],
        },
      });
      world = await makeWorld({
        simulator: { repositories: aspaceCleanSeedRepositories() },
        config: (raw) => {
          raw.gateway = alma.url;
          raw.remote_storage_inst = "01AAA_RS";
          raw.remote_storage_apikey = "l7xx-unused-scf-key-000000000000000";
          raw.institutions = [{ code: "01AAA_AB", apikey: KEY }];
          raw.aspace.barcodes = { source: "set", set_id: "9988", institution: "01AAA_AB" };
        },
      });
      const context = {
        config: world.config,
        logger: silentLogger(),
        dryRun: false,
        progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
        signal: new AbortController().signal,
      };
      const summary = await runAspace2Alma(context, {}, sourcesFromConfig(context));
      expect(exitCodeFor(summary)).to.equal(0);
      expect(summary.details.barcodes_in_alma).to.equal(2);
      const out = await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`);
      expect(out).to.include("32101000000010<");
      expect(out).not.to.include("32101000000020<");
      expect(world.existsServed(`${OUTPUT_DIR}/sc_active_barcodes.csv`)).to.equal(true);
      expect(alma.callsTo("GET", "/almaws/v1/conf/sets/9988/members")).to.have.length(1);
    });
  });
});
