import { expect } from "chai";
import type { AspaceTopContainer } from "../../src/aspace/types.js";
import {
  appendItemFields,
  indicatorNumber,
  isAtRecap,
  itemField,
  itemFields,
  itemSkipReason,
  sortContainersByIndicator,
} from "../../src/jobs/aspace2alma/items.js";
import { REFERENCE_SETTINGS_SOURCE, settingsFromConfig } from "../../src/jobs/aspace2alma/settings.js";
import { controlField, createRecord, dataField, type DataField } from "../../src/marc/record.js";

const settings = settingsFromConfig(REFERENCE_SETTINGS_SOURCE);

function container(indicator: string, barcode?: string, location?: string, type = "box"): AspaceTopContainer {
  return {
    indicator,
    type,
    ...(barcode === undefined ? {} : { barcode }),
    container_locations: location ? [{ _resolved: { classification: location } }] : [],
  };
}

const show = (field: DataField) =>
  `${field.tag} ${field.ind1}${field.ind2} ${field.subfields.map((s) => `$${s.code} ${s.value}`).join(" ")}`;

describe("aspace2alma item fields (reference §4, rule 13)", () => {
  describe("sortContainersByIndicator", () => {
    it("sorts 10, 2, 1 as 1, 2, 10 by the first integer of the indicator", () => {
      const sorted = sortContainersByIndicator([container("10"), container("2"), container("1")]);
      expect(sorted.map((c) => c.indicator)).to.deep.equal(["1", "2", "10"]);
    });

    it("counts an indicator without digits as 0 and keeps ties in their order", () => {
      const sorted = sortContainersByIndicator([
        container("B-12"),
        container("Oversize"),
        container("3a"),
        container("Flat"),
      ]);
      expect(sorted.map((c) => c.indicator)).to.deep.equal(["Oversize", "Flat", "3a", "B-12"]);
      expect(indicatorNumber("B-12")).to.equal(12);
      expect(indicatorNumber(undefined)).to.equal(0);
    });
  });

  describe("isAtRecap", () => {
    it("says scarcpph is at ReCAP and scamudd is not", () => {
      expect(isAtRecap(container("1", "x", "scarcpph"), settings)).to.equal(true);
      expect(isAtRecap(container("1", "x", "rcppf"), settings)).to.equal(true);
      expect(isAtRecap(container("1", "x", "scamudd"), settings)).to.equal(false);
      expect(isAtRecap(container("1", "x", "scarcp"), settings)).to.equal(false);
      expect(isAtRecap(container("1", "x"), settings)).to.equal(false);
    });

    it("looks only at the first location", () => {
      const moved: AspaceTopContainer = {
        indicator: "1",
        barcode: "x",
        container_locations: [
          { _resolved: { classification: "scamudd" } },
          { _resolved: { classification: "scarcpph" } },
        ],
      };
      expect(isAtRecap(moved, settings)).to.equal(false);
    });
  });

  describe("itemSkipReason", () => {
    const inAlma = new Set(["32101000000020"]);
    it("gives an item only to a barcoded container at ReCAP that Alma does not have", () => {
      expect(itemSkipReason(container("1", "32101000000010", "scarcpph"), inAlma, settings)).to.equal(
        undefined,
      );
      expect(itemSkipReason(container("2", "32101000000020", "scarcpph"), inAlma, settings)).to.equal(
        "already in Alma",
      );
      expect(itemSkipReason(container("3", undefined, "scarcpph"), inAlma, settings)).to.equal("no barcode");
      expect(itemSkipReason(container("3", "  ", "scarcpph"), inAlma, settings)).to.equal("no barcode");
      expect(itemSkipReason(container("4", "32101000000040", "scamudd"), inAlma, settings)).to.equal(
        "not at ReCAP",
      );
    });
  });

  describe("itemField", () => {
    it("writes the reference's example: $a barcode $b type indicator $c location $d (PULFA)call number", () => {
      const field = itemField(
        container("2477", "32101106176132", "scarcpph", "volume"),
        "MC001.01",
        settings,
      );
      expect(show(field)).to.equal("949    $a 32101106176132 $b volume 2477 $c scarcpph $d (PULFA)MC001.01");
    });
  });

  describe("itemFields", () => {
    it("keeps the qualifying containers in indicator order", () => {
      const fields = itemFields(
        [
          container("10", "B10", "scarcpph"),
          container("2", "B2", "scarcpph"),
          container("1", "B1", "scarcpph"),
          container("5", "B5", "scamudd"),
        ],
        "C0101",
        new Set(["B2"]),
        settings,
      );
      expect(fields.map((f) => f.subfields[0]!.value)).to.deep.equal(["B1", "B10"]);
    });
  });

  describe("rule 13: appendItemFields", () => {
    it("puts the item fields after the last data field, after any 982", () => {
      const r = createRecord("x", [
        controlField("008", "y"),
        dataField("982", " ", " ", [["c", "scarcpph"]]),
      ]);
      appendItemFields(r, [itemField(container("1", "B1", "scarcpph"), "C0101", settings)]);
      expect(r.fields.map((f) => f.tag)).to.deep.equal(["008", "982", "949"]);
    });
  });
});
