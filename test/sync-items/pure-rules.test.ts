import { expect } from "chai";
import { controlField, createRecord, dataField } from "../../src/marc/record.js";
import {
  isDeleteFile,
  missingItemSubfield,
  networkZoneId,
  readPublishedRecord,
} from "../../src/jobs/sync-items/published-item.js";
import { isInRemoteStorage } from "../../src/jobs/sync-items/remote-storage.js";
import {
  isUnchangedForPut,
  itemForScfCreate,
  mergeForScfUpdate,
  type AlmaItemJson,
} from "../../src/jobs/sync-items/scf-item-body.js";
import type { InstitutionConfig } from "../../src/config/config.js";
import { validateConfig } from "../../src/config/index.js";
import { concurrencyOf } from "../../src/jobs/sync-items/job.js";
import { msUntilLoanDue } from "../../src/jobs/sync-items/owed-loans.js";
import { inPublishingOrder } from "../../src/jobs/sync-items/publishing-order.js";

const institution: InstitutionConfig = {
  code: "01AAA_AB",
  apikey: "k",
  libraries: [{ code: "ABRS", remote_storage_location: ["rs_shared", "rs_annex"] }],
};

function memberItem(): AlmaItemJson {
  return {
    bib_data: { mms_id: "991000000001", title: "Member title" },
    holding_data: {
      holding_id: "221000000001",
      call_number: "QA76 .A1",
      in_temp_location: false,
      temp_library: { value: null },
      temp_location: { value: null },
      temp_policy: { value: "" },
    },
    item_data: {
      pid: "231000000001",
      barcode: "31234000123456",
      policy: { value: "01", desc: "Regular" },
      po_line: "POL-1",
      library: { value: "ABRS" },
      location: { value: "rs_shared" },
      description: "v.1",
      internal_note_1: "member note 1",
      internal_note_2: "member note 2",
      internal_note_3: "member note 3",
      enumeration_a: "1",
      process_type: { value: "" },
      creation_date: "2024-01-01Z",
      unknown_future_field: { value: "kept" },
    },
  };
}

function scfItem(): AlmaItemJson {
  return {
    bib_data: { mms_id: "991000000009" },
    holding_data: { holding_id: "221000000009" },
    item_data: {
      pid: "231000000009",
      barcode: "31234000123456X",
      provenance: { value: "01AAA_AB", desc: "AB" },
      library: { value: "RS" },
      location: { value: "rs_shared" },
      policy: { value: "scf" },
      internal_note_1: "scf note 1",
      statistics_note_2: "scf stat 2",
      description: "v.1",
      internal_note_2: "member note 2",
      enumeration_a: "1",
      process_type: { value: "LOAN" },
      creation_date: "2025-05-05Z",
      unknown_future_field: { value: "kept" },
    },
  };
}

describe("sync-items rules", () => {
  it("reads the NZ id from the first 035 $a containing EXLNZ, without its prefix", () => {
    const record = createRecord("00000nam a2200000 a 4500", [
      dataField("035", " ", " ", [["a", "(OCoLC)12345"]]),
      dataField("035", " ", " ", [["a", "(EXLNZ-01AAA_NETWORK)9912345600001"]]),
    ]);
    expect(networkZoneId(record)).to.equal("9912345600001");
  });

  it("reads every ITM field as one item, with the 001 as the member's MMS id", () => {
    const record = createRecord("00000nam a2200000 a 4500", [
      controlField("001", "991000000001"),
      dataField("ITM", " ", " ", [
        ["b", "111"],
        ["c", "ABRS"],
        ["l", "rs_shared"],
        ["n", "fragile"],
      ]),
      dataField("ITM", " ", " ", [
        ["c", "ABRS"],
        ["l", "rs_annex"],
      ]),
    ]);
    expect(readPublishedRecord(record)).to.deep.equal({
      mmsId: "991000000001",
      nzMmsId: undefined,
      items: [
        { barcode: "111", library: "ABRS", location: "rs_shared", note: "fragile" },
        { barcode: undefined, library: "ABRS", location: "rs_annex", note: undefined },
      ],
    });
  });

  it("requires an item's library and location, except to withdraw it", () => {
    expect(missingItemSubfield({ barcode: "1", library: "ABRS" }, false)).to.equal(
      "ITM field without $l (location)",
    );
    expect(missingItemSubfield({ barcode: "1", location: "rs" }, false)).to.equal(
      "ITM field without $c (library)",
    );
    expect(missingItemSubfield({ barcode: "1", library: "ABRS", location: "rs" }, false)).to.equal(undefined);
    expect(missingItemSubfield({ barcode: "1" }, true)).to.equal(undefined);
  });

  it("treats a name containing _delete in any case as a delete file", () => {
    expect(isDeleteFile("items_20261125_020000_DELETE.tar.gz")).to.equal(true);
    expect(isDeleteFile("pub/items_20261125_020000_delete_1.xml")).to.equal(true);
    expect(isDeleteFile("items_20261125_020000_new.tar.gz")).to.equal(false);
  });

  it("matches remote-storage locations exactly, so rs does not match rs_shared", () => {
    const narrow: InstitutionConfig = {
      ...institution,
      libraries: [{ code: "ABRS", remote_storage_location: ["rs"] }],
    };
    expect(isInRemoteStorage(narrow, "ABRS", "rs_shared")).to.equal(false);
    expect(isInRemoteStorage(narrow, "ABRS", "rs")).to.equal(true);
    expect(isInRemoteStorage(institution, "OTHER", "rs_shared")).to.equal(false);
    expect(isInRemoteStorage(institution, "ABRS", undefined)).to.equal(false);
  });

  it("builds the SCF item with barcode + X and provenance, without the member-only fields", () => {
    const body = itemForScfCreate(memberItem(), "01AAA_AB", "31234000123456");
    expect(body.item_data).to.include({
      barcode: "31234000123456X",
      description: "v.1",
      internal_note_2: "member note 2",
    });
    expect(body.item_data?.provenance).to.deep.equal({ value: "01AAA_AB" });
    for (const key of [
      "po_line",
      "library",
      "location",
      "policy",
      "internal_note_1",
      "internal_note_3",
      "pid",
    ]) {
      expect(body.item_data, key).not.to.have.property(key);
    }
    for (const key of ["call_number", "temp_library", "in_temp_location", "temp_location", "temp_policy"]) {
      expect(body.holding_data, key).not.to.have.property(key);
    }
    expect(body.item_data?.unknown_future_field).to.deep.equal({ value: "kept" });
  });

  it("merges an update keeping the SCF's own fields, po_line and policy, and taking the rest from the member", () => {
    const member = memberItem();
    (member.item_data as Record<string, unknown>).description = "v.2";
    const merged = mergeForScfUpdate(member, scfItem());
    expect(merged.item_data).to.include({
      pid: "231000000009",
      barcode: "31234000123456X",
      internal_note_1: "scf note 1",
      statistics_note_2: "scf stat 2",
      description: "v.2",
    });
    expect(merged.item_data?.policy).to.deep.equal({ value: "scf" });
    expect(merged.item_data).not.to.have.property("po_line");
    expect(merged.item_data).not.to.have.property("internal_note_3");
    expect(merged.holding_data).to.deep.equal({ holding_id: "221000000009" });
    expect(merged.bib_data).to.deep.equal({ mms_id: "991000000009" });
  });

  it("sees no change when only what a PUT cannot change differs", () => {
    const merged = mergeForScfUpdate(memberItem(), scfItem());
    expect(isUnchangedForPut(merged, scfItem())).to.equal(true);
  });

  it("sees a change in a copied field", () => {
    const member = memberItem();
    (member.item_data as Record<string, unknown>).enumeration_a = "2";
    expect(isUnchangedForPut(mergeForScfUpdate(member, scfItem()), scfItem())).to.equal(false);
  });

  it("sees no change when the SCF copy carries its loan's due date and policy and the member's item does not", () => {
    const onLoan = scfItem();
    Object.assign(onLoan.item_data!, {
      due_date: "2099-12-31T23:59:00Z",
      due_date_policy: "Loanable",
      last_loan_date: "2025-05-05Z",
      base_status: { value: "0", desc: "Item not in place" },
      awaiting_reshelving: false,
      requested: false,
      parsed_issue_level1: { value: "1" },
    });
    const member = memberItem();
    Object.assign(member.item_data!, {
      base_status: { value: "1", desc: "Item in place" },
      requested: true,
      modification_date: "2026-01-01Z",
      expected_arrival_date: "2024-01-15Z",
    });
    expect(isUnchangedForPut(mergeForScfUpdate(member, onLoan), onLoan)).to.equal(true);
  });

  it("never copies what Alma computes from the member's item: a create leaves it out, an update sends the SCF's own", () => {
    const member = memberItem();
    member.link = "https://member.example/almaws/v1/bibs/1/holdings/2/items/3";
    Object.assign(member.item_data!, {
      due_date: "2026-02-01T22:00:00Z",
      due_date_policy: "28 days loan",
      last_loan_date: "2026-01-04Z",
      base_status: { value: "0", desc: "Item not in place" },
      requested: true,
      modification_date: "2026-01-01Z",
      parsed_alt_issue_level1: { value: "7" },
      inventory_date: "2023-06-30Z",
    });
    const computed = [
      "due_date",
      "due_date_policy",
      "last_loan_date",
      "base_status",
      "requested",
      "process_type",
      "creation_date",
      "modification_date",
      "parsed_alt_issue_level1",
    ];
    const created = itemForScfCreate(member, "01AAA_AB", "31234000123456");
    for (const key of computed) expect(created.item_data, key).not.to.have.property(key);
    expect(created).not.to.have.property("link");
    const scf = scfItem();
    const merged = mergeForScfUpdate(member, scf);
    for (const key of computed) expect(merged.item_data?.[key], key).to.deep.equal(scf.item_data?.[key]);
    expect(merged.link).to.equal(scf.link);
    for (const body of [created, merged]) {
      expect(body.item_data?.inventory_date, "a writable date travels").to.equal("2023-06-30Z");
    }
  });

  it("treats absent, null, empty and empty-value fields alike", () => {
    const member = memberItem();
    Object.assign(member.item_data!, {
      public_note: "",
      year_of_issue: null,
      physical_condition: { value: "" },
    });
    expect(isUnchangedForPut(mergeForScfUpdate(member, scfItem()), scfItem())).to.equal(true);
  });

  it("orders publishing files by the time in their names, then by name with split parts in number order", () => {
    const names = [
      "zz_profile_20261125_030000_new.tar.gz",
      "notes.txt",
      "items_20261125_020000_new_10.tar.gz",
      "aa_profile_20261125_040000_delete.tar.gz",
      "items_20261125_020000_new_2.tar.gz",
      "/staff/items_20261124_230000_delete.xml",
    ];
    expect(inPublishingOrder(names.map((name) => ({ name }))).map((file) => file.name)).to.deep.equal([
      "/staff/items_20261124_230000_delete.xml",
      "items_20261125_020000_new_2.tar.gz",
      "items_20261125_020000_new_10.tar.gz",
      "zz_profile_20261125_030000_new.tar.gz",
      "aa_profile_20261125_040000_delete.tar.gz",
      "notes.txt",
    ]);
  });

  it("makes an owed loan due loan_delay_ms after its item was created, at once when that is past", () => {
    const owed = { scfBarcode: "1X", userId: "01AAA_AB-ABRS", since: "2026-01-01T10:00:00.000Z" };
    const since = Date.parse(owed.since);
    expect(msUntilLoanDue(owed, 3000, since + 1000)).to.equal(2000);
    expect(msUntilLoanDue(owed, 3000, since + 3000)).to.equal(0);
    expect(msUntilLoanDue(owed, 3000, since + 60_000)).to.equal(0);
    expect(msUntilLoanDue({ ...owed, since: "garbled" }, 3000, since)).to.equal(0);
  });

  it("takes max_number_of_threads as an upper bound on sync_items.concurrency", () => {
    const configWith = (extra: Record<string, unknown>) =>
      validateConfig(
        { gateway: "http://localhost:1", state_dir: "/tmp/state", institutions: [], ...extra },
        { source: "test", baseDir: "/tmp", env: {} },
      ).config;
    expect(concurrencyOf(configWith({ sync_items: { concurrency: 8 } }))).to.equal(8);
    expect(concurrencyOf(configWith({ sync_items: { concurrency: 8 }, max_number_of_threads: 3 }))).to.equal(
      3,
    );
    expect(concurrencyOf(configWith({ sync_items: { concurrency: 2 }, max_number_of_threads: 16 }))).to.equal(
      2,
    );
  });
});
