import { expect } from "chai";
import {
  addField,
  addSubfield,
  cloneRecord,
  controlField,
  createRecord,
  dataField,
  firstSubfieldValue,
  getControlValue,
  getDataField,
  getDataFields,
  getSubfield,
  insertAfter,
  insertAfterLast,
  insertBefore,
  recordsEqual,
  removeField,
  removeFields,
  removeSubfields,
  renameSubfields,
  replaceField,
  replaceFields,
  setControlValue,
  subfieldValue,
  subfieldValues,
  subfieldValuesOf,
  type MarcRecord,
} from "../../src/marc/index.js";

function sample(): MarcRecord {
  return createRecord("00000npcaa2200000 u 4500", [
    controlField("008", "221215i19171950xx                  eng d"),
    dataField("040", " ", " ", [["a", "XX"]]),
    dataField("099", " ", " ", [["a", "MC001.01"]]),
    dataField("500", " ", " ", [["a", "Location of resource: scarcpph."]]),
    dataField("856", "4", "2", [
      ["z", "Finding aid online:"],
      ["u", "http://arks.princeton.edu/ark:/88435/rj430454b"],
    ]),
    dataField("ITM", " ", " ", [
      ["b", "32101"],
      ["c", "MAIN"],
    ]),
    dataField("ITM", " ", " ", [
      ["b", "32102"],
      ["l", "stacks"],
    ]),
  ]);
}

const tags = (r: MarcRecord) => r.fields.map((f) => f.tag);

describe("MARC record model", () => {
  it("finds data fields by tag, including letter tags like ITM, in record order", () => {
    const barcodes = getDataFields(sample(), "ITM").map((f) => subfieldValue(f, "b"));
    expect(barcodes).to.deep.equal(["32101", "32102"]);
    expect(subfieldValuesOf(sample(), "ITM", "b")).to.deep.equal(["32101", "32102"]);
  });

  it("gives the first value of a subfield across the fields of a tag", () => {
    expect(firstSubfieldValue(sample(), "099", "a")).to.equal("MC001.01");
    expect(firstSubfieldValue(sample(), "ITM", "l")).to.equal("stacks");
    expect(firstSubfieldValue(sample(), "245", "a")).to.equal(undefined);
  });

  it("adds missing control fields in tag order so 001 and 003 land before 008", () => {
    const r = sample();
    setControlValue(r, "003", "PULFA");
    setControlValue(r, "001", "MC001.01");
    expect(tags(r).slice(0, 3)).to.deep.equal(["001", "003", "008"]);
    setControlValue(r, "001", "changed");
    expect(getControlValue(r, "001")).to.equal("changed");
    expect(tags(r).filter((t) => t === "001")).to.have.length(1);
  });

  it("inserts after and before an anchor and reports a missing anchor without inserting", () => {
    const r = sample();
    expect(insertAfter(r, "008", dataField("035", " ", " ", [["a", "(PULFA)MC001.01"]]))).to.equal(true);
    expect(insertBefore(r, "099", dataField("046", " ", " ", [["a", "i"]]))).to.equal(true);
    expect(insertAfterLast(r, "ITM", dataField("949", " ", " ", [["a", "x"]]))).to.equal(true);
    expect(insertAfter(r, "041", dataField("046", " ", " "))).to.equal(false);
    expect(tags(r)).to.deep.equal(["008", "035", "040", "046", "099", "500", "856", "ITM", "ITM", "949"]);
  });

  it("replaces every matching field with its own copy and adds none when nothing matches", () => {
    const r = sample();
    addField(r, dataField("040", " ", " ", [["a", "YY"]]));
    const agency = dataField("040", " ", " ", [
      ["a", "NjP"],
      ["b", "eng"],
    ]);
    expect(replaceFields(r, "040", agency)).to.equal(2);
    const replaced = getDataFields(r, "040");
    expect(replaced.map((f) => subfieldValues(f, "a"))).to.deep.equal([["NjP"], ["NjP"]]);
    expect(replaced[0]).to.not.equal(replaced[1]);
    expect(replaceFields(r, "041", agency)).to.equal(0);
  });

  it("replaces and removes one field by identity", () => {
    const r = sample();
    const f856 = getDataField(r, "856")!;
    expect(replaceField(r, f856, dataField("856", "4", "2", [["u", "x"]]))).to.equal(true);
    expect(replaceField(r, f856, dataField("856", " ", " "))).to.equal(false);
    expect(removeField(r, getDataField(r, "500")!)).to.equal(true);
    expect(tags(r)).to.deep.equal(["008", "040", "099", "856", "ITM", "ITM"]);
  });

  it("removes fields by tag, by several tags and by predicate", () => {
    const r = sample();
    expect(removeFields(r, ["500", "856"])).to.equal(2);
    expect(removeFields(r, (f) => f.tag === "ITM")).to.equal(2);
    expect(removeFields(r, "852")).to.equal(0);
    expect(tags(r)).to.deep.equal(["008", "040", "099"]);
  });

  it("adds, removes and renames subfields, the first only when asked", () => {
    const f = dataField("600", "1", "7", [
      ["a", "Baldwin, Roger N."],
      ["0", "https://viaf.org/viaf/109866015"],
      ["0", "other"],
      ["2", "viaf"],
    ]);
    expect(renameSubfields(f, "0", "1", { first: true })).to.equal(1);
    expect(removeSubfields(f, "2")).to.equal(1);
    addSubfield(f, "5", "NjP");
    getSubfield(f, "a")!.value = "Baldwin, Roger";
    expect(f.subfields.map((s) => `${s.code}=${s.value}`)).to.deep.equal([
      "a=Baldwin, Roger",
      "1=https://viaf.org/viaf/109866015",
      "0=other",
      "5=NjP",
    ]);
  });

  it("compares records by content, ignoring their origin, and clones them deeply", () => {
    const a = sample();
    const b = cloneRecord(a);
    b.origin = { file: "x.xml" };
    expect(recordsEqual(a, b)).to.equal(true);
    getDataField(b, "099")!.subfields[0]!.value = "other";
    expect(recordsEqual(a, b)).to.equal(false);
    expect(firstSubfieldValue(a, "099", "a")).to.equal("MC001.01");
  });
});
