/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read Alma's loose JSON */
import { expect } from "chai";
import {
  defaultFixture,
  formatId,
  IdPrefix,
  startAlmaSimulator,
  type AlmaFixture,
  type AlmaSimulator,
} from "../../../src/sandbox/alma/index.js";
import { callAlma, firstError } from "./call-alma.js";

describe("Alma simulator: users", () => {
  let sim: AlmaSimulator;

  beforeEach(async () => {
    sim = await startAlmaSimulator();
  });

  afterEach(async () => {
    await sim.stop();
  });

  it("finds a user by primary id or by any identifier with user_id_type=all_unique", async () => {
    const byPrimary = await callAlma(sim, "GET", "/users/ab-jdoe", { as: "01AAA_AB" });
    expect(byPrimary.body.primary_id).to.equal("ab-jdoe");
    const byBarcode = await callAlma(sim, "GET", "/users/21234000111111", {
      as: "01AAA_AB",
      query: { user_id_type: "all_unique" },
    });
    expect(byBarcode.status).to.equal(200);
    expect(byBarcode.body.primary_id).to.equal("ab-jdoe");
    const missing = await callAlma(sim, "GET", "/users/nobody", { as: "01AAA_AB" });
    expect(missing.status).to.equal(400);
    expect(firstError(missing).errorCode).to.equal("401861");
  });

  it("creates a linked user in the SCF copying the source institution's user", async () => {
    const created = await callAlma(sim, "POST", "/users", {
      query: { source_institution_code: "01AAA_AB", source_user_id: "ab-jdoe" },
    });
    expect(created.status).to.equal(200);
    const linkingId = formatId(IdPrefix.linking, 1, "0001");
    expect(created.body).to.include({
      primary_id: "ab-jdoe",
      first_name: "Jane",
      last_name: "Doe",
      source_institution_code: "01AAA_AB",
      source_user_id: "ab-jdoe",
      source_link_id: linkingId,
      linking_id: linkingId,
    });
    expect(created.body.account_type.value).to.equal("EXTERNAL");
    expect(created.body.contact_info.email[0].email_address).to.equal("ab-jdoe@example.edu");
    const found = await callAlma(sim, "GET", `/users/${linkingId}`, {
      query: { source_institution_code: "01AAA_AB" },
    });
    expect(found.status).to.equal(200);
    expect(found.body.primary_id).to.equal("ab-jdoe");
    expect(sim.institution("01AAA_RS").users.filter((user) => user.source_institution_code)).to.have.length(
      1,
    );
  });

  it("answers 400 when no linked user exists for the source institution", async () => {
    const answer = await callAlma(sim, "GET", "/users/ab-jdoe", {
      query: { source_institution_code: "01AAA_AB" },
    });
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("401861");
  });

  it("refuses to link the same source user twice", async () => {
    const query = { source_institution_code: "01AAA_AB", source_user_id: "ab-jdoe" };
    expect((await callAlma(sim, "POST", "/users", { query })).status).to.equal(200);
    const again = await callAlma(sim, "POST", "/users", { query });
    expect(again.status).to.equal(400);
  });

  it("refreshes a linked user from the source institution", async () => {
    await callAlma(sim, "POST", "/users", {
      query: { source_institution_code: "01AAA_AB", source_user_id: "ab-jdoe" },
    });
    const source = sim.institution("01AAA_AB").users[0]!;
    source.last_name = "Doe-Smith";
    const refreshed = await callAlma(sim, "POST", "/users/ab-jdoe", { query: { op: "refresh" } });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.last_name).to.equal("Doe-Smith");
    expect(refreshed.body.source_institution_code).to.equal("01AAA_AB");
    const stored = sim.institution("01AAA_RS").users.find((user) => user.primary_id === "ab-jdoe");
    expect(stored?.last_name).to.equal("Doe-Smith");
  });

  it("refuses to refresh a user that is not linked", async () => {
    const answer = await callAlma(sim, "POST", "/users/01AAA_AB-ABRS", { query: { op: "refresh" } });
    expect(answer.status).to.equal(400);
    expect(firstError(answer).errorCode).to.equal("401863");
  });
});

describe("Alma simulator: configuration, sets, jobs and key checks", () => {
  let sim: AlmaSimulator;

  afterEach(async () => {
    await sim.stop();
  });

  it("lists libraries and the locations of a library", async () => {
    sim = await startAlmaSimulator();
    const libraries = await callAlma(sim, "GET", "/conf/libraries", { as: "01AAA_AB" });
    expect(libraries.body.total_record_count).to.equal(2);
    expect((libraries.body.library as { code: string }[]).map((library) => library.code)).to.deep.equal([
      "ABMAIN",
      "ABRS",
    ]);
    expect(libraries.body.library[1].name).to.equal("AB Remote Storage");
    const locations = await callAlma(sim, "GET", "/conf/libraries/RS/locations");
    expect((locations.body.location as { code: string }[]).map((location) => location.code)).to.deep.equal([
      "rs_shared",
      "rs_annex",
    ]);
    const unknown = await callAlma(sim, "GET", "/conf/libraries/NOPE/locations");
    expect(unknown.status).to.equal(400);
  });

  it("pages the members of a set, at most 100 a page", async () => {
    const fixture: AlmaFixture = structuredClone(defaultFixture);
    const ab = fixture.institutions.find((institution) => institution.code === "01AAA_AB")!;
    ab.sets = [
      {
        id: "1234567890001",
        name: "Big set",
        content: "ITEM",
        members: Array.from({ length: 250 }, (_, index) => ({
          id: formatId(IdPrefix.item, 1000 + index, "0001"),
        })),
      },
    ];
    sim = await startAlmaSimulator({ fixture });
    const path = "/conf/sets/1234567890001/members";
    const third = await callAlma(sim, "GET", path, {
      as: "01AAA_AB",
      query: { limit: "100", offset: "200" },
    });
    expect(third.body.total_record_count).to.equal(250);
    expect(third.body.member).to.have.length(50);
    expect(third.body.member[0].id).to.equal(formatId(IdPrefix.item, 1200, "0001"));
    expect(third.body.member[0].link).to.be.a("string");
    const defaultPage = await callAlma(sim, "GET", path, { as: "01AAA_AB" });
    expect(defaultPage.body.member).to.have.length(10);
    const beyond = await callAlma(sim, "GET", path, { as: "01AAA_AB", query: { offset: "300" } });
    expect(beyond.body).to.deep.equal({ total_record_count: 250 });
    const tooMany = await callAlma(sim, "GET", path, { as: "01AAA_AB", query: { limit: "101" } });
    expect(tooMany.status).to.equal(400);
    expect(firstError(tooMany).errorCode).to.equal("401666");
    const notNumeric = await callAlma(sim, "GET", path, { as: "01AAA_AB", query: { offset: "x" } });
    expect(firstError(notNumeric).errorCode).to.equal("402205");
  });

  it("links set members that are items to the item's URL", async () => {
    sim = await startAlmaSimulator();
    const answer = await callAlma(sim, "GET", "/conf/sets/1234567890001/members", { as: "01AAA_AB" });
    const item = sim.institution("01AAA_AB").items[0]!;
    expect(answer.body.member[0].link).to.equal(
      `${sim.url}/almaws/v1/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`,
    );
  });

  it("finds jobs by profile id", async () => {
    sim = await startAlmaSimulator();
    const answer = await callAlma(sim, "GET", "/conf/jobs", {
      as: "01AAA_AB",
      query: { profile_id: "5001230001" },
    });
    expect(answer.body.total_record_count).to.equal(1);
    expect(answer.body.job[0]).to.include({ id: "S987654321", name: "Publish remote storage items" });
    const none = await callAlma(sim, "GET", "/conf/jobs", { as: "01AAA_AB", query: { profile_id: "0" } });
    expect(none.body).to.deep.equal({ total_record_count: 0 });
    const one = await callAlma(sim, "GET", "/conf/jobs/S123456789", { as: "01AAA_AB" });
    expect(one.body.type.value).to.equal("SCHEDULED");
  });

  it("answers /{area}/test with 200 for GET and POST on a read/write key", async () => {
    sim = await startAlmaSimulator();
    const read = await callAlma(sim, "GET", "/bibs/test");
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal({ value: "GET - OK" });
    const write = await callAlma(sim, "POST", "/users/test");
    expect(write.status).to.equal(200);
  });

  it("refuses writes on a read-only area and everything on a forbidden one", async () => {
    const fixture: AlmaFixture = structuredClone(defaultFixture);
    fixture.institutions[0]!.permissions = { users: "read", conf: "none" };
    sim = await startAlmaSimulator({ fixture });
    expect((await callAlma(sim, "GET", "/users/test")).status).to.equal(200);
    const write = await callAlma(sim, "POST", "/users/test");
    expect(write.status).to.equal(401);
    expect(firstError(write).errorCode).to.equal("UNAUTHORIZED");
    expect((await callAlma(sim, "GET", "/conf/test")).status).to.equal(401);
    expect((await callAlma(sim, "GET", "/conf/libraries")).status).to.equal(401);
    const link = await callAlma(sim, "POST", "/users", {
      query: { source_institution_code: "01AAA_AB", source_user_id: "ab-jdoe" },
    });
    expect(link.status, "the area check applies to real endpoints too").to.equal(401);
  });
});
