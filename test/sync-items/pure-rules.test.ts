import { expect } from "chai";
import { controlField, createRecord, dataField } from "../../src/marc/record.js";
import {
  isDeleteFile,
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

  it("treats absent, null, empty and empty-value fields alike", () => {
    const member = memberItem();
    Object.assign(member.item_data!, {
      public_note: "",
      year_of_issue: null,
      physical_condition: { value: "" },
    });
    expect(isUnchangedForPut(mergeForScfUpdate(member, scfItem()), scfItem())).to.equal(true);
  });
});
