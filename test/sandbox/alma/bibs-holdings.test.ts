/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read Alma's loose JSON */
import { expect } from "chai";
import { NZ_IDS, startAlmaSimulator, type AlmaSimulator } from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError } from "./call-alma.js";

const MARC_BIB = `<bib><record xmlns="http://www.loc.gov/MARC21/slim">
  <leader>00000nam a2200000 i 4500</leader>
  <controlfield tag="001">990000000030001</controlfield>
  <datafield tag="035" ind1=" " ind2=" "><subfield code="a">(01AAA_AB)990000000030001</subfield></datafield>
  <datafield tag="245" ind1="1" ind2="0"><subfield code="a">Minutes of the Board of Trustees, 1890-1910 /</subfield></datafield>
</record></bib>`;

describe("Alma simulator: bibs and holdings", () => {
  let sim: AlmaSimulator;

  beforeEach(async () => {
    sim = await startAlmaSimulator();
  });

  afterEach(async () => {
    await sim.stop();
  });

  it("finds a bib by its Network Zone id", async () => {
    const answer = await callAlma(sim, "GET", "/bibs", {
      query: { nz_mms_id: NZ_IDS.originOfSpecies, view: "full", expand: "p_avail" },
    });
    expect(answer.status).to.equal(200);
    expect(answer.body.total_record_count).to.equal(1);
    expect(answer.body.bib[0].mms_id).to.equal(sim.institution("01AAA_RS").bibs[0]?.mms_id);
    expect(answer.body.bib[0].title).to.equal("On the origin of species");
    expect(answer.body.bib[0].anies[0]).to.contain('<controlfield tag="001">');
  });

  it('answers an empty search as {"total_record_count":0} without the bib key', async () => {
    const answer = await callAlma(sim, "GET", "/bibs", { query: { nz_mms_id: NZ_IDS.walden } });
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ total_record_count: 0 });
  });

  it("finds a bib by other_system_id among its 035 $a values", async () => {
    const answer = await callAlma(sim, "GET", "/bibs", {
      as: "01AAA_AB",
      query: { other_system_id: "(AB-ARCHIVES)MS-0042" },
    });
    expect(answer.body.total_record_count).to.equal(1);
    expect(answer.body.bib[0].title).to.equal("Minutes of the Board of Trustees, 1890-1910");
  });

  it("answers 400 when a bib search names no identifier", async () => {
    const answer = await callAlma(sim, "GET", "/bibs");
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("401666");
  });

  it("gets one bib, and answers 400 402203 for an unknown mms id", async () => {
    const bib = sim.institution("01AAA_AB").bibs[0]!;
    const found = await callAlma(sim, "GET", `/bibs/${bib.mms_id}`, {
      as: "01AAA_AB",
      query: { view: "full", expand: "None" },
    });
    expect(found.body.mms_id).to.equal(bib.mms_id);
    expect(found.body.network_number).to.deep.equal(bib.network_number);
    const missing = await callAlma(sim, "GET", "/bibs/991234", { as: "01AAA_AB" });
    expect(missing.status).to.equal(400);
    expect(firstError(missing).errorCode).to.equal("402203");
  });

  it("creates a bib from the Network Zone and finds it by nz_mms_id afterwards", async () => {
    const created = await callAlma(sim, "POST", "/bibs", {
      query: { from_nz_mms_id: NZ_IDS.leavesOfGrass, validate: "false", override_warning: "true" },
      xml: "<bib/>",
    });
    expect(created.status).to.equal(200);
    expect(created.body.mms_id).to.equal("991000000000003");
    expect(created.body.title).to.equal("Leaves of grass");
    expect(created.body.linked_record_id).to.deep.equal({ value: NZ_IDS.leavesOfGrass, type: "NZ" });
    expect(created.body.network_number).to.include(`(EXLNZ-01AAA_NETWORK)${NZ_IDS.leavesOfGrass}`);
    const search = await callAlma(sim, "GET", "/bibs", { query: { nz_mms_id: NZ_IDS.leavesOfGrass } });
    expect(search.body.bib[0].mms_id).to.equal(created.body.mms_id);
  });

  it("refuses to link the same Network Zone record twice", async () => {
    const answer = await callAlma(sim, "POST", "/bibs", {
      query: { from_nz_mms_id: NZ_IDS.originOfSpecies },
      xml: "<bib/>",
    });
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("402212");
    expect(sim.institution("01AAA_RS").bibs).to.have.length(1);
  });

  it("answers 400 for an unknown Network Zone id", async () => {
    const answer = await callAlma(sim, "POST", "/bibs", {
      query: { from_nz_mms_id: "990000" },
      xml: "<bib/>",
    });
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorMessage).to.equal("Network Zone record 990000 was not found.");
  });

  it("creates a bib from MARC-XML, keeps the record and makes its 035 searchable", async () => {
    const created = await callAlma(sim, "POST", "/bibs", {
      query: { validate: "false", override_warning: "true" },
      xml: MARC_BIB,
    });
    expect(created.status).to.equal(200);
    expect(created.body.title).to.equal("Minutes of the Board of Trustees, 1890-1910");
    const stored = sim.institution("01AAA_RS").bibs.find((bib) => bib.mms_id === created.body.mms_id);
    expect(stored?.record).to.contain(`<controlfield tag="001">${created.body.mms_id}</controlfield>`);
    expect(stored?.record).to.contain("(01AAA_AB)990000000030001");
    const search = await callAlma(sim, "GET", "/bibs", {
      query: { other_system_id: "(01AAA_AB)990000000030001" },
    });
    expect(search.body.bib[0].mms_id).to.equal(created.body.mms_id);
  });

  it("answers 400 for a bib body that is not well-formed XML", async () => {
    const answer = await callAlma(sim, "POST", "/bibs", { xml: "<bib><record>" });
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("402204");
  });

  it("lists holdings with library and location, and an empty list without the holding key", async () => {
    const bib = sim.institution("01AAA_RS").bibs[0]!;
    const answer = await callAlma(sim, "GET", `/bibs/${bib.mms_id}/holdings`);
    expect(answer.body.total_record_count).to.equal(1);
    expect(answer.body.holding[0].library).to.deep.equal({ value: "RS", desc: "Remote Storage Facility" });
    expect(answer.body.holding[0].location.value).to.equal("rs_shared");
    const created = await callAlma(sim, "POST", "/bibs", {
      query: { from_nz_mms_id: NZ_IDS.walden },
      xml: "<bib/>",
    });
    const empty = await callAlma(sim, "GET", `/bibs/${created.body.mms_id}/holdings`);
    expect(empty.body.total_record_count).to.equal(0);
    expect(empty.body).to.not.have.property("holding");
  });

  it("creates a holding from the 852 template, reading $b and $c", async () => {
    const bib = sim.institution("01AAA_RS").bibs[0]!;
    const answer = await callAlma(sim, "POST", `/bibs/${bib.mms_id}/holdings`, {
      xml:
        '<holding><record><datafield ind1="0" ind2=" " tag="852"><subfield code="b">RS</subfield>' +
        '<subfield code="c">rs_annex</subfield></datafield></record>' +
        "<suppress_from_publishing>false</suppress_from_publishing></holding>",
    });
    expect(answer.status).to.equal(200);
    expect(answer.body.holding_id).to.match(/^22\d+0003$/);
    expect(answer.body.location.value).to.equal("rs_annex");
    const holdings = sim.institution("01AAA_RS").holdings.filter((holding) => holding.mms_id === bib.mms_id);
    expect(holdings.map((holding) => holding.location)).to.deep.equal(["rs_shared", "rs_annex"]);
    const single = await callAlma(sim, "GET", `/bibs/${bib.mms_id}/holdings/${answer.body.holding_id}`);
    expect(single.body.anies[0]).to.contain('<subfield code="c">rs_annex</subfield>');
  });

  it("refuses a holding in a location the library does not have", async () => {
    const bib = sim.institution("01AAA_RS").bibs[0]!;
    const answer = await callAlma(sim, "POST", `/bibs/${bib.mms_id}/holdings`, {
      xml: '<holding><record><datafield tag="852"><subfield code="b">RS</subfield><subfield code="c">rs</subfield></datafield></record></holding>',
    });
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorMessage).to.equal("Location rs is not valid for library RS.");
  });
});
