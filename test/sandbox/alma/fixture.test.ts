import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  buildState,
  defaultFixture,
  FixtureError,
  parseFixture,
  readFixtureFile,
  startAlmaSimulator,
  type AlmaFixture,
} from "../../../src/sandbox/alma/index.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { callAlma } from "./call-alma.js";

function withAb(change: (fixture: AlmaFixture) => void): AlmaFixture {
  const fixture = structuredClone(defaultFixture);
  change(fixture);
  return fixture;
}

describe("Alma simulator: fixtures", () => {
  it("builds the default consortium with the codes of conf.example.json", () => {
    const state = buildState(defaultFixture);
    expect(Object.keys(state.institutions)).to.deep.equal(["01AAA_RS", "01AAA_AB", "01AAA_CD"]);
    const scf = state.institutions["01AAA_RS"]!;
    expect(scf.libraries[0]?.locations.map((location) => location.code)).to.deep.equal([
      "rs_shared",
      "rs_annex",
    ]);
    expect(scf.libraries[0]?.circ_desks).to.deep.equal(["DEFAULT_CIRC_DESK"]);
    expect(scf.users.map((user) => user.primary_id)).to.deep.equal(["01AAA_AB-ABRS", "01AAA_CD-CDRS"]);
    expect(
      scf.users.every((user) => user.contact_info?.address?.[0]?.address_type[0]?.value === "home"),
    ).to.equal(true);
    const ab = state.institutions["01AAA_AB"]!;
    expect(
      ab.libraries.find((library) => library.code === "ABRS")?.locations.map((l) => l.code),
    ).to.deep.equal(["rs", "rs_annex"]);
    expect(ab.jobs.map((job) => job.id)).to.include.members(["S987654321", "S123456789"]);
    expect(ab.requests).to.have.length(1);
    expect(ab.bibs.every((bib) => /^99\d+0001$/.test(bib.mms_id))).to.equal(true);
  });

  it("marks fixture items with an active loan as LOAN", () => {
    const state = buildState(defaultFixture);
    expect(state.institutions["01AAA_RS"]?.items[0]?.item_data.process_type?.value).to.equal("LOAN");
  });

  it("never changes the fixture it was built from", async () => {
    const fixture = structuredClone(defaultFixture);
    const sim = await startAlmaSimulator({ fixture });
    const holding = sim.institution("01AAA_RS").holdings[0]!;
    const created = await callAlma(
      sim,
      "POST",
      `/bibs/${holding.mms_id}/holdings/${holding.holding_id}/items`,
      {
        json: { item_data: { barcode: "NEW-X" } },
      },
    );
    expect(created.status).to.equal(200);
    sim.institution("01AAA_RS").users[0]!.last_name = "Changed";
    sim.reset();
    expect(sim.institution("01AAA_RS").items.map((item) => item.item_data.barcode)).to.deep.equal([
      "31234000123456X",
    ]);
    await sim.stop();
    expect(fixture).to.deep.equal(defaultFixture);
  });

  it("refuses a fixture whose item names an unknown holding", () => {
    const fixture = withAb((f) => {
      f.institutions[1]!.items![0]!.holding_id = "22999";
    });
    expect(() => buildState(fixture)).to.throw(
      FixtureError,
      "01AAA_AB: item 230000000010001 names unknown holding 22999",
    );
  });

  it("refuses a fixture with a barcode used twice", () => {
    const fixture = withAb((f) => {
      f.institutions[1]!.items![1]!.item_data.barcode = "31234000123456";
    });
    expect(() => buildState(fixture)).to.throw(
      FixtureError,
      "01AAA_AB: barcode 31234000123456 appears twice",
    );
  });

  it("refuses a fixture whose request names an unknown user", () => {
    const fixture = withAb((f) => {
      f.institutions[1]!.requests![0]!.user_primary_id = "ghost";
    });
    expect(() => buildState(fixture)).to.throw(FixtureError, /names unknown user ghost/);
  });

  it("refuses two institutions with one key", () => {
    const fixture = withAb((f) => {
      f.institutions[2]!.apikey = f.institutions[1]!.apikey;
    });
    expect(() => buildState(fixture)).to.throw(FixtureError, "two institutions share one API key");
  });

  it("reads a fixture from a JSON file and names the first bad key path", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const good = path.join(dir, "good.json");
      await writeFile(good, JSON.stringify(defaultFixture));
      const fixture = await readFixtureFile(good);
      expect(fixture.institutions.map((institution) => institution.code)).to.deep.equal([
        "01AAA_RS",
        "01AAA_AB",
        "01AAA_CD",
      ]);
      const bad = path.join(dir, "bad.json");
      await writeFile(bad, JSON.stringify({ institutions: [{ code: "X", apikey: "k", id_suffix: "12" }] }));
      let failure: unknown;
      try {
        await readFixtureFile(bad);
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(FixtureError);
      expect((failure as Error).message).to.equal("fixture institutions.0.id_suffix: 4 digits");
    } finally {
      await cleanup();
    }
  });

  it("keeps unknown record fields of fixture JSON", () => {
    const json = JSON.parse(JSON.stringify(defaultFixture)) as { institutions: { users: object[] }[] };
    json.institutions[0]!.users.push({ primary_id: "x", campus_code: { value: "MAIN" } });
    const fixture = parseFixture(json);
    expect(fixture.institutions[0]?.users?.at(-1)).to.deep.equal({
      primary_id: "x",
      campus_code: { value: "MAIN" },
    });
  });
});
