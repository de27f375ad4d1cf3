import { expect } from "chai";
import type { AlmaItem } from "../../src/alma/types.js";
import { formatId, IdPrefix, NZ_IDS } from "../../src/sandbox/alma/index.js";
import { AB, SCF, fixtureCopy, startSimulatedAlma, type SimulatedAlma } from "./helpers/simulator.js";

const RS_SUFFIX = "0003";
const AB_SUFFIX = "0001";
const id = (prefix: string, n: number, suffix: string) => formatId(prefix, n, suffix);
const SCF_BIB = id(IdPrefix.bib, 1, RS_SUFFIX);
const SCF_HOLDING = id(IdPrefix.holding, 1, RS_SUFFIX);
const SCF_ITEM = id(IdPrefix.item, 1, RS_SUFFIX);
const AB_BIB = id(IdPrefix.bib, 1, AB_SUFFIX);
const AB_HOLDING = id(IdPrefix.holding, 1, AB_SUFFIX);
const AB_ITEM = id(IdPrefix.item, 1, AB_SUFFIX);
const AB_REQUEST = id(IdPrefix.request, 1, AB_SUFFIX);
const SCF_ITEM_ADDRESS = { mmsId: SCF_BIB, holdingId: SCF_HOLDING, pid: SCF_ITEM };
const AB_ITEM_ADDRESS = { mmsId: AB_BIB, holdingId: AB_HOLDING, pid: AB_ITEM };
const SYSTEM_USER = "01AAA_AB-ABRS";

/** The reference's HOLD body sent to the SCF. */
const holdBody = (comment: string) => ({
  request_type: "HOLD",
  request_sub_type: { value: "PATRON_PHYSICAL" },
  pickup_location_type: "USER_HOME_ADDRESS",
  task_name: "Pickup From Shelf",
  user_primary_id: SYSTEM_USER,
  comment,
});

describe("Alma client endpoints against the simulator", () => {
  let env: SimulatedAlma;
  beforeEach(async () => {
    env = await startSimulatedAlma();
  });
  afterEach(async () => {
    expect(env.internalErrors).to.deep.equal([]);
    await env.stop();
  });
  const calls = (method: string, path: RegExp | string) => env.sim.callsTo(method, path);

  describe("bibs", () => {
    it("finds a bib by Network Zone id with view=full&expand=p_avail, and undefined for an unknown one", async () => {
      const bib = await env.alma.scf.bibs.findByNzId(NZ_IDS.originOfSpecies);
      expect(bib?.mms_id).to.equal(SCF_BIB);
      expect(bib?.title).to.equal("On the origin of species");
      expect(await env.alma.scf.bibs.findByNzId(NZ_IDS.walden)).to.equal(undefined);
      expect(calls("GET", "/almaws/v1/bibs$")[0]!.query).to.deep.equal({
        nz_mms_id: NZ_IDS.originOfSpecies,
        view: "full",
        expand: "p_avail",
      });
    });

    it("finds a bib by other system id", async () => {
      const bib = await env.alma.member(AB).bibs.findByOtherSystemId("(AB-ARCHIVES)MS-0042");
      expect(bib?.mms_id).to.equal(id(IdPrefix.bib, 3, AB_SUFFIX));
      expect(await env.alma.member(AB).bibs.findByOtherSystemId("(AB-ARCHIVES)NOPE")).to.equal(undefined);
    });

    it("reads one bib with view=full&expand=None, and undefined for an unknown MMS id", async () => {
      const bib = await env.alma.member(AB).bibs.get(AB_BIB);
      expect(bib?.network_number).to.include(`(EXLNZ-01AAA_NETWORK)${NZ_IDS.originOfSpecies}`);
      expect(bib?.anies?.[0]).to.contain("<record");
      expect(await env.alma.member(AB).bibs.get("990000000990001")).to.equal(undefined);
      expect(calls("GET", `/bibs/${AB_BIB}$`)[0]!.query).to.deep.equal({ view: "full", expand: "None" });
    });

    it("creates a bib from the Network Zone", async () => {
      const bib = await env.alma.scf.bibs.createFromNz(NZ_IDS.leavesOfGrass);
      const stored = env.sim.institution(SCF).bibs.find((candidate) => candidate.mms_id === bib.mms_id);
      expect(stored?.linked_nz_mms_id).to.equal(NZ_IDS.leavesOfGrass);
      expect(stored?.title).to.equal("Leaves of grass");
      expect(calls("POST", "/bibs$")[0]!.query).to.deep.equal({
        from_nz_mms_id: NZ_IDS.leavesOfGrass,
        validate: "false",
        override_warning: "true",
      });
    });

    it("creates a local bib from MARC-XML, found afterwards by its 035", async () => {
      const xml =
        "<bib><record><leader>00000nam a2200000 a 4500</leader>" +
        '<datafield tag="035" ind1=" " ind2=" "><subfield code="a">(01AAA_AB)991000000030001</subfield></datafield>' +
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Minutes &amp; papers</subfield></datafield>' +
        "</record></bib>";
      const bib = await env.alma.scf.bibs.createLocal(xml, "(01AAA_AB)991000000030001");
      expect(bib.title).to.equal("Minutes & papers");
      const found = await env.alma.scf.bibs.findByOtherSystemId("(01AAA_AB)991000000030001");
      expect(found?.mms_id).to.equal(bib.mms_id);
    });
  });

  describe("holdings", () => {
    it("lists a bib's holdings with library and location codes", async () => {
      const holdings = await env.alma.scf.holdings.list(SCF_BIB);
      expect(
        holdings.map((holding) => [holding.holding_id, holding.library?.value, holding.location?.value]),
      ).to.deep.equal([[SCF_HOLDING, "RS", "rs_shared"]]);
      expect(await env.alma.scf.holdings.findByLocation(SCF_BIB, "RS", "rs_annex")).to.equal(undefined);
    });

    it("creates a holding in a library and location (XML body with the 852)", async () => {
      const holding = await env.alma.scf.holdings.create(SCF_BIB, "RS", "rs_annex");
      const stored = env.sim
        .institution(SCF)
        .holdings.find((candidate) => candidate.holding_id === holding.holding_id);
      expect(stored).to.include({
        mms_id: SCF_BIB,
        library: "RS",
        location: "rs_annex",
        suppress_from_publishing: false,
      });
      expect((await env.alma.scf.holdings.findByLocation(SCF_BIB, "RS", "rs_annex"))?.holding_id).to.equal(
        holding.holding_id,
      );
    });
  });

  describe("items", () => {
    it("finds an item by barcode, and undefined for an unknown barcode", async () => {
      const item = await env.alma.scf.items.findByBarcode("31234000123456X");
      expect(item?.item_data).to.include({
        pid: SCF_ITEM,
        barcode: "31234000123456X",
        storage_location_id: "TRAY-0042",
      });
      expect(item?.item_data.provenance?.value).to.equal(AB);
      expect(item?.item_data.process_type?.value).to.equal("LOAN");
      expect(item?.holding_data?.holding_id).to.equal(SCF_HOLDING);
      expect(item?.bib_data?.mms_id).to.equal(SCF_BIB);
      expect(await env.alma.scf.items.findByBarcode("NOPE")).to.equal(undefined);
    });

    it("reads an item by its ids, and undefined for an unknown pid", async () => {
      expect((await env.alma.scf.items.get(SCF_ITEM_ADDRESS))?.item_data.barcode).to.equal("31234000123456X");
      expect(await env.alma.scf.items.get({ ...SCF_ITEM_ADDRESS, pid: "230000000990003" })).to.equal(
        undefined,
      );
    });

    it("creates an item copied from the member's item (seed §6.3.3)", async () => {
      const source = (await env.alma.member(AB).items.findByBarcode("31234000123457"))!;
      const scfItem: AlmaItem = {
        item_data: {
          ...source.item_data,
          barcode: "31234000123457X",
          provenance: { value: AB },
          pid: undefined,
          library: undefined,
          location: undefined,
          policy: undefined,
        },
      };
      const created = await env.alma.scf.items.create(SCF_BIB, SCF_HOLDING, scfItem);
      expect(created.item_data).to.include({ barcode: "31234000123457X", description: "c.2" });
      const stored = env.sim
        .institution(SCF)
        .items.filter((item) => item.item_data.barcode === "31234000123457X");
      expect(stored).to.have.length(1);
      expect(stored[0]!.item_data.provenance?.value).to.equal(AB);
    });

    it("updates an item by read-modify-write, keeping the fields the client does not model", async () => {
      const item = (await env.alma.scf.items.findByBarcode("31234000123456X"))!;
      item.item_data.internal_note_2 = "Shelf B-7";
      const updated = await env.alma.scf.items.update(item);
      expect(updated.item_data.internal_note_2).to.equal("Shelf B-7");
      const stored = env.sim.institution(SCF).items.find((candidate) => candidate.pid === SCF_ITEM)!;
      expect(stored.item_data).to.include({
        internal_note_2: "Shelf B-7",
        alternative_call_number: "RS-000123",
        storage_location_id: "TRAY-0042",
      });
      expect(stored.item_data.physical_material_type).to.deep.equal({ value: "BOOK", desc: "Book" });
      expect(calls("PUT", `/items/${SCF_ITEM}$`)).to.have.length(1);
    });

    it("deletes an item", async () => {
      const address = {
        mmsId: id(IdPrefix.bib, 3, AB_SUFFIX),
        holdingId: id(IdPrefix.holding, 3, AB_SUFFIX),
        pid: id(IdPrefix.item, 4, AB_SUFFIX),
      };
      await env.alma.member(AB).items.delete(address);
      expect(env.sim.institution(AB).items.some((item) => item.pid === address.pid)).to.equal(false);
      expect(await env.alma.member(AB).items.get(address)).to.equal(undefined);
    });

    it("scans an item in, which ends its loan", async () => {
      const item = await env.alma.scf.items.scanIn(SCF_ITEM_ADDRESS, {
        library: "RS",
        circDesk: "DEFAULT_CIRC_DESK",
      });
      expect(item.item_data.pid).to.equal(SCF_ITEM);
      const loan = env.sim.institution(SCF).loans.find((candidate) => candidate.item_id === SCF_ITEM)!;
      expect(loan.loan_status).to.equal("COMPLETE");
      expect(calls("POST", `/items/${SCF_ITEM}$`)[0]!.query).to.deep.equal({
        op: "scan",
        library: "RS",
        circ_desk: "DEFAULT_CIRC_DESK",
        done: "true",
      });
    });
  });

  describe("requests", () => {
    it("creates an item-level HOLD for the system patron with allow_same_request=true", async () => {
      const request = await env.alma.scf.requests.createItemRequest(
        SCF_ITEM_ADDRESS,
        SYSTEM_USER,
        holdBody("Internal identifier: 1"),
      );
      expect(request.request_id).to.be.a("string");
      const stored = env.sim
        .institution(SCF)
        .requests.find((candidate) => candidate.request_id === request.request_id)!;
      expect(stored).to.include({
        request_type: "HOLD",
        item_id: SCF_ITEM,
        user_primary_id: SYSTEM_USER,
        comment: "Internal identifier: 1",
      });
      expect(calls("POST", "/requests$")[0]!.query).to.deep.equal({
        user_id: SYSTEM_USER,
        allow_same_request: "true",
      });
    });

    it("creates a title-level HOLD on a bib", async () => {
      const comment = "{Source Request 01AAA_AB-24-ab-jdoe}";
      const request = await env.alma.scf.requests.createBibRequest(SCF_BIB, SYSTEM_USER, holdBody(comment));
      const stored = env.sim
        .institution(SCF)
        .requests.find((candidate) => candidate.request_id === request.request_id)!;
      expect(stored).to.include({ mms_id: SCF_BIB, comment });
      expect(stored.item_id).to.equal(undefined);
      const listed = await env.alma.scf.requests.listBibRequests(SCF_BIB);
      expect(listed.map((entry) => entry.request_id)).to.deep.equal([request.request_id]);
    });

    it("lists an item's requests and reads a request through its bib and its user", async () => {
      const listed = await env.alma.member(AB).requests.listItemRequests(AB_ITEM_ADDRESS);
      expect(listed.map((request) => request.request_id)).to.deep.equal([AB_REQUEST]);
      expect((await env.alma.member(AB).requests.getBibRequest(AB_BIB, AB_REQUEST))?.comment).to.equal(
        "Please handle with care",
      );
      expect(
        (await env.alma.member(AB).requests.getUserRequest("ab-jdoe", AB_REQUEST))?.request_type,
      ).to.equal("HOLD");
      expect(await env.alma.member(AB).requests.getBibRequest(AB_BIB, "240000000990001")).to.equal(undefined);
      expect(await env.alma.member(AB).requests.getUserRequest("ab-jdoe", "240000000990001")).to.equal(
        undefined,
      );
    });

    it("cancels a request through its item with reason and note", async () => {
      await env.alma.member(AB).requests.cancelItemRequest(AB_ITEM_ADDRESS, AB_REQUEST, {
        reason: "CannotBeFulfilled",
        note: "Item is on loan",
      });
      const stored = env.sim.institution(AB).requests[0]!;
      expect(stored.request_status).to.equal("CANCELLED");
      expect(stored.cancellation).to.include({ reason: "CannotBeFulfilled", note: "Item is on loan" });
    });

    it("cancels a request through its bib, telling the patron", async () => {
      await env.alma.member(AB).requests.cancelBibRequest(AB_BIB, AB_REQUEST, {
        reason: "CannotBeFulfilled",
        notifyUser: true,
        note: "Request could not be fulfilled by the SCF.",
      });
      expect(env.sim.institution(AB).requests[0]!.cancellation).to.include({
        reason: "CannotBeFulfilled",
        notify_user: true,
        note: "Request could not be fulfilled by the SCF.",
      });
      expect(calls("DELETE", `/bibs/${AB_BIB}/requests/${AB_REQUEST}$`)[0]!.query).to.deep.equal({
        reason: "CannotBeFulfilled",
        note: "Request could not be fulfilled by the SCF.",
        notify_user: "true",
      });
    });

    it("cancels a request through its user with RequestSwitched, without telling the patron", async () => {
      await env.alma.member(AB).requests.cancelUserRequest("ab-jdoe", AB_REQUEST, {
        reason: "RequestSwitched",
        notifyUser: false,
      });
      expect(env.sim.institution(AB).requests[0]!.cancellation).to.include({
        reason: "RequestSwitched",
        notify_user: false,
      });
    });
  });

  describe("loans", () => {
    it("lends a new SCF item to the institution's system patron", async () => {
      const created = await env.alma.scf.items.create(SCF_BIB, SCF_HOLDING, {
        item_data: { barcode: "31234000999999X" },
      });
      const address = { mmsId: SCF_BIB, holdingId: SCF_HOLDING, pid: created.item_data.pid! };
      const loan = await env.alma.scf.loans.create(SYSTEM_USER, address, {
        circ_desk: { value: "DEFAULT_CIRC_DESK" },
        library: { value: "RS" },
      });
      expect(loan.loan_id).to.be.a("string");
      expect(calls("POST", `/users/${SYSTEM_USER}/loans$`)[0]!.query).to.deep.equal({
        item_pid: address.pid,
      });
      const stored = env.sim.institution(SCF).loans.find((candidate) => candidate.item_id === address.pid)!;
      expect(stored).to.include({ user_id: SYSTEM_USER, loan_status: "ACTIVE", library: "RS" });
      expect(
        (await env.alma.scf.items.findByBarcode("31234000999999X"))?.item_data.process_type?.value,
      ).to.equal("LOAN");
    });

    it("lists an item's active loans, and none for an item not on loan", async () => {
      const created = await env.alma.scf.items.create(SCF_BIB, SCF_HOLDING, {
        item_data: { barcode: "31234000999998X" },
      });
      const address = { mmsId: SCF_BIB, holdingId: SCF_HOLDING, pid: created.item_data.pid! };
      expect(await env.alma.scf.loans.listForItem(address)).to.deep.equal([]);
      const loan = await env.alma.scf.loans.create(SYSTEM_USER, address, {
        circ_desk: { value: "DEFAULT_CIRC_DESK" },
        library: { value: "RS" },
      });
      const listed = await env.alma.scf.loans.listForItem(address);
      expect(listed.map((entry) => [entry.loan_id, entry.user_id, entry.loan_status])).to.deep.equal([
        [loan.loan_id, SYSTEM_USER, "ACTIVE"],
      ]);
      expect(calls("GET", `/items/${address.pid}/loans$`)).to.have.length(2);
    });
  });

  describe("users", () => {
    it("reads a user with user_id_type=all_unique, and undefined for an unknown one", async () => {
      expect((await env.alma.member(AB).users.get("ab-jdoe"))?.linking_id).to.be.a("string");
      expect(await env.alma.member(AB).users.get("nobody")).to.equal(undefined);
      expect(calls("GET", "/users/ab-jdoe$")[0]!.query).to.deep.equal({ user_id_type: "all_unique" });
    });

    it("creates a linked user in the SCF, finds it, and refreshes it", async () => {
      const source = (await env.alma.member(AB).users.get("ab-jdoe"))!;
      expect(await env.alma.scf.users.getLinked(source.linking_id!, AB)).to.equal(undefined);
      const linked = await env.alma.scf.users.createLinked(AB, "ab-jdoe");
      expect(linked).to.include({ source_institution_code: AB, source_user_id: "ab-jdoe" });
      expect((await env.alma.scf.users.getLinked(source.linking_id!, AB))?.primary_id).to.equal(
        linked.primary_id,
      );
      const refreshed = await env.alma.scf.users.refresh(linked.primary_id);
      expect(refreshed.last_name).to.equal("Doe");
      expect(calls("POST", `/users/${linked.primary_id}$`)[0]!.query).to.deep.equal({ op: "refresh" });
    });
  });

  describe("conf", () => {
    it("lists libraries and a library's locations", async () => {
      const libraries = await env.alma.member(AB).conf.libraries();
      expect(libraries.map((library) => [library.code, library.name])).to.deep.equal([
        ["ABMAIN", "AB Main Library"],
        ["ABRS", "AB Remote Storage"],
      ]);
      const locations = await env.alma.scf.conf.locations("RS");
      expect(locations.map((location) => location.code)).to.deep.equal(["rs_shared", "rs_annex"]);
    });

    it("finds the jobs of a profile", async () => {
      const jobs = await env.alma.member(AB).conf.jobs({ profile_id: "5001230001" });
      expect(jobs.map((job) => job.id)).to.deep.equal(["S987654321"]);
      expect(await env.alma.member(AB).conf.jobs({ profile_id: "nope" })).to.deep.equal([]);
    });
  });

  describe("key checks", () => {
    it("says a key may read and write an area", async () => {
      expect(await env.alma.scf.test.check("bibs", "read")).to.deep.equal({
        area: "bibs",
        access: "read",
        ok: true,
      });
      expect(await env.alma.scf.test.check("users", "write")).to.deep.equal({
        area: "users",
        access: "write",
        ok: true,
      });
      expect(calls("GET", "/almaws/v1/bibs/test$")).to.have.length(1);
      expect(calls("POST", "/almaws/v1/users/test$")).to.have.length(1);
    });
  });
});

describe("Alma client endpoints against the simulator, with a changed fixture", () => {
  let env: SimulatedAlma | undefined;
  afterEach(async () => {
    expect(env?.internalErrors).to.deep.equal([]);
    await env?.stop();
  });

  it("reads a set of 250 members page by page (100 a page) and all at once", async () => {
    const fixture = fixtureCopy();
    const members = Array.from({ length: 250 }, (_, index) => ({
      id: String(1000 + index),
      description: `m${index}`,
    }));
    fixture.institutions[1]!.sets = [{ id: "777", name: "Big set", content: "BIB_MMS", members }];
    env = await startSimulatedAlma({ fixture });
    const client = env.alma.member(AB);
    const streamed: string[] = [];
    for await (const member of client.conf.setMembers("777")) streamed.push(member.id);
    const all = await client.conf.allSetMembers("777", { concurrency: 2 });
    const expected = members.map((member) => member.id);
    expect(streamed).to.deep.equal(expected);
    expect(all.map((member) => member.id)).to.deep.equal(expected);
    const pages = env.sim
      .callsTo("GET", "/conf/sets/777/members$")
      .map((call) => `${call.query.limit}@${call.query.offset}`);
    expect(pages).to.deep.equal(["100@0", "100@100", "100@200", "100@0", "100@100", "100@200"]);
  });

  it("says a read-only key may not write an area, with Alma's error code", async () => {
    const fixture = fixtureCopy();
    fixture.institutions[1]!.permissions = { users: "read" };
    env = await startSimulatedAlma({ fixture });
    expect(await env.alma.member(AB).test.check("users", "read")).to.deep.include({ ok: true });
    expect(await env.alma.member(AB).test.check("users", "write")).to.deep.include({
      ok: false,
      status: 401,
      errorCode: "UNAUTHORIZED",
    });
  });

  it("lists more than 10 requests of an item (paged by 100)", async () => {
    const fixture = fixtureCopy();
    const ab = fixture.institutions[1]!;
    ab.requests = Array.from({ length: 12 }, (_, index) => ({
      request_id: id(IdPrefix.request, 10 + index, AB_SUFFIX),
      user_primary_id: "ab-jdoe",
      request_type: "HOLD",
      mms_id: AB_BIB,
      item_id: AB_ITEM,
      holding_id: AB_HOLDING,
    }));
    env = await startSimulatedAlma({ fixture });
    expect(await env.alma.member(AB).requests.listItemRequests(AB_ITEM_ADDRESS)).to.have.length(12);
  });
});
