import { expect } from "chai";
import {
  controlField,
  createRecord,
  dataField,
  type DataField,
  type Field,
  type MarcRecord,
} from "../../src/marc/record.js";
import {
  addControlNumber,
  addDatesFrom008,
  addLocationFields,
  addSystemControlNumber,
  collapseLineBreaks,
  locationCodesOf,
  markLocalHeadings,
  qualifyBulkDates,
  recodeViafLinks,
  removeEmptyElements,
  removeHoldingsFields,
  removeInternalNotes,
  replaceCatalogingSource,
  replaceFindingAidLink,
  splitHeading,
  splitSubjectHeadings,
  truncateScopeNotes,
} from "../../src/jobs/aspace2alma/rules.js";
import {
  REFERENCE_SETTINGS_SOURCE,
  settingsFromConfig,
  type Aspace2AlmaSettings,
} from "../../src/jobs/aspace2alma/settings.js";

const settings: Aspace2AlmaSettings = settingsFromConfig(REFERENCE_SETTINGS_SOURCE);
const F008 = "221215i19171950xx                  eng d";

/** A field written as MARC display text: `245 10 $a Title $g 1930-1950`, `008 …` for control fields. */
function show(field: Field): string {
  if (!("subfields" in field)) return `${field.tag} ${field.value}`;
  return `${field.tag} ${field.ind1}${field.ind2} ${field.subfields.map((s) => `$${s.code} ${s.value}`).join(" ")}`;
}

function showAll(record: MarcRecord): string[] {
  return record.fields.map(show);
}

const record = (...fields: Field[]) => createRecord("00000npcaa2200000 u 4500", fields);

describe("aspace2alma transformation rules (reference §3)", () => {
  describe("rule 1: removeEmptyElements", () => {
    it("drops blank subfields and fields left without any", () => {
      const r = record(
        controlField("008", F008),
        dataField("100", "1", " ", [
          ["a", "American Civil Liberties Union."],
          ["e", "   "],
        ]),
        dataField("506", " ", " ", [["a", ""]]),
        dataField("520", " ", " ", [["a", "\n\r "]]),
      );
      removeEmptyElements(r);
      expect(showAll(r)).to.deep.equal([`008 ${F008}`, "100 1  $a American Civil Liberties Union."]);
    });
  });

  describe("rule 2: collapseLineBreaks", () => {
    it("turns each run of CR/LF in a subfield into one space", () => {
      const r = record(dataField("520", "2", " ", [["a", "First.\r\n\r\nSecond.\nThird.\rFourth."]]));
      collapseLineBreaks(r);
      expect(showAll(r)).to.deep.equal(["520 2  $a First. Second. Third. Fourth."]);
    });
  });

  describe("rule 3: addControlNumber", () => {
    it("puts 001 = 099 $a and 003 = PULFA just before 008", () => {
      const r = record(controlField("008", F008), dataField("099", " ", " ", [["a", "MC001.01"]]));
      addControlNumber(r, "MC001.01", settings);
      expect(showAll(r).slice(0, 3)).to.deep.equal(["001 MC001.01", "003 PULFA", `008 ${F008}`]);
    });

    it("takes the institution code from the settings and replaces an existing 001", () => {
      const r = record(controlField("001", "old"), controlField("008", F008));
      addControlNumber(r, "C0101", { ...settings, institutionCode: "XYZFA" });
      expect(showAll(r)).to.deep.equal(["001 C0101", "003 XYZFA", `008 ${F008}`]);
    });
  });

  describe("rule 4: addSystemControlNumber", () => {
    it("puts 035 $a (PULFA){099 $a} right after 008", () => {
      const r = record(controlField("008", F008), dataField("040", " ", " ", [["a", "X"]]));
      addSystemControlNumber(r, "MC001.01", settings);
      expect(showAll(r)).to.deep.equal([`008 ${F008}`, "035    $a (PULFA)MC001.01", "040    $a X"]);
    });
  });

  describe("rule 5: replaceCatalogingSource", () => {
    it("replaces every 040 with $a NjP $b eng $e dacs $c NjP, in place", () => {
      const r = record(
        dataField("040", " ", " ", [["a", "ASpace"]]),
        dataField("041", " ", " ", [["a", "eng"]]),
        dataField("040", "1", "1", [["c", "x"]]),
      );
      replaceCatalogingSource(r, settings);
      expect(showAll(r)).to.deep.equal([
        "040    $a NjP $b eng $e dacs $c NjP",
        "041    $a eng",
        "040    $a NjP $b eng $e dacs $c NjP",
      ]);
    });

    it("adds none when the record has none", () => {
      const r = record(dataField("041", " ", " ", [["a", "eng"]]));
      replaceCatalogingSource(r, settings);
      expect(showAll(r)).to.deep.equal(["041    $a eng"]);
    });
  });

  describe("rule 6: addDatesFrom008", () => {
    it("inserts 046 $a i $c 1917 $e 1950 after the first 041 (008 positions 7-10 and 11-14)", () => {
      const r = record(
        controlField("008", F008),
        dataField("041", "0", " ", [["a", "eng"]]),
        dataField("041", "1", " ", [["a", "fre"]]),
      );
      addDatesFrom008(r);
      expect(showAll(r)).to.deep.equal([
        `008 ${F008}`,
        "041 0  $a eng",
        "046    $a i $c 1917 $e 1950",
        "041 1  $a fre",
      ]);
    });

    it("adds nothing without a 041", () => {
      const r = record(controlField("008", F008), dataField("099", " ", " ", [["a", "C0101"]]));
      addDatesFrom008(r);
      expect(showAll(r)).to.deep.equal([`008 ${F008}`, "099    $a C0101"]);
    });

    /** The 046 rule 6 makes from an 008, or undefined when it makes none. */
    function datesOf(fixed: string): string | undefined {
      const r = record(controlField("008", fixed), dataField("041", " ", " ", [["a", "eng"]]));
      addDatesFrom008(r);
      return showAll(r).find((line) => line.startsWith("046"));
    }

    it("leaves out $e when 008/11-14 is blank: a single date", () => {
      expect(datesOf("221215s1917    xx                  eng d")).to.equal("046    $a i $c 1917");
    });

    it("leaves out $c when 008/07-10 is blank", () => {
      expect(datesOf("221215i    1950xx                  eng d")).to.equal("046    $a i $e 1950");
    });

    it("adds no 046 when both dates are blank", () => {
      expect(datesOf("221215n        xx                  eng d")).to.equal(undefined);
    });

    it("gives no blank subfield for an 008 that ends before the dates do", () => {
      expect(datesOf("221215i1917")).to.equal("046    $a i $c 1917");
      expect(datesOf("221215")).to.equal(undefined);
    });
  });

  describe("rule 7: qualifyBulkDates", () => {
    it("turns the first 245 $g 1930-1950 into (mostly 1930-1950)", () => {
      const r = record(
        dataField("245", "1", "0", [
          ["a", "Records"],
          ["g", "1930-1950"],
          ["g", "1960"],
        ]),
      );
      qualifyBulkDates(r);
      expect(showAll(r)).to.deep.equal(["245 10 $a Records $g (mostly 1930-1950) $g 1960"]);
    });

    it("leaves a 245 without $g alone", () => {
      const r = record(dataField("245", "1", "0", [["a", "Records"]]));
      qualifyBulkDates(r);
      expect(showAll(r)).to.deep.equal(["245 10 $a Records"]);
    });
  });

  describe("rule 8: truncateScopeNotes", () => {
    it("cuts a first $a over 7999 characters to 7996 + '...' in every 520 and keeps every 520", () => {
      const long = "x".repeat(40_000);
      const r = record(
        dataField("520", "2", " ", [["a", long]]),
        dataField("520", "2", " ", [["a", "y".repeat(7999)]]),
        dataField("520", "2", " ", [["a", "z".repeat(8000)]]),
      );
      truncateScopeNotes(r);
      const values = (r.fields as DataField[]).map((f) => f.subfields[0]!.value);
      expect(values[0]).to.equal("x".repeat(7996) + "...");
      expect(values[0]).to.have.length(7999);
      expect(values[1]).to.equal("y".repeat(7999));
      expect(values[2]).to.equal("z".repeat(7996) + "...");
      expect(r.fields).to.have.length(3);
    });
  });

  describe("rule 9: splitSubjectHeadings", () => {
    it("splits the reference's example into $a, $x and a $y for the part starting with two digits", () => {
      const r = record(
        dataField("650", " ", "0", [
          ["a", "Textile workers -- Labor unions -- New Jersey -- History -- 20th century."],
        ]),
      );
      splitSubjectHeadings(r);
      expect(showAll(r)).to.deep.equal([
        "650  0 $a Textile workers $x Labor unions $x New Jersey $x History $y 20th century.",
      ]);
    });

    it("recodes the reference's VIAF example: $0 → $1, $2 viaf removed, ind2 7 → 0", () => {
      const r = record(
        dataField("600", "1", "7", [
          ["a", "Baldwin, Roger N."],
          ["0", "https://viaf.org/viaf/109866015"],
          ["2", "viaf"],
        ]),
      );
      splitSubjectHeadings(r);
      expect(showAll(r)).to.deep.equal(["600 10 $a Baldwin, Roger N. $1 https://viaf.org/viaf/109866015"]);
    });

    it("appends the new subdivisions at the end of the field, after $0 and $2", () => {
      const field = dataField("650", " ", "7", [
        ["a", "Civil rights -- United States"],
        ["2", "local"],
      ]);
      splitHeading(field);
      expect(show(field)).to.equal("650  7 $a Civil rights $2 local $x United States");
    });

    it("keeps a $0 that is not VIAF and a $2 other than exactly viaf", () => {
      const field = dataField("610", "2", "7", [
        ["a", "United States. Congress"],
        ["0", "http://id.loc.gov/authorities/names/n79"],
        ["2", "viafx"],
      ]);
      recodeViafLinks(field);
      expect(show(field)).to.equal(
        "610 27 $a United States. Congress $0 http://id.loc.gov/authorities/names/n79 $2 viafx",
      );
    });

    it("works on 600, 610, 630, 648, 650, 651, 655, 656, 657 and 700, and not on 710", () => {
      const tags = ["600", "610", "630", "648", "650", "651", "655", "656", "657", "700", "710"];
      const r = record(...tags.map((tag) => dataField(tag, " ", " ", [["a", "A -- B"]])));
      splitSubjectHeadings(r);
      expect(showAll(r).at(-2)).to.equal("700    $a A $x B");
      expect(showAll(r).at(-1)).to.equal("710    $a A -- B");
      expect(showAll(r).filter((line) => line.endsWith("$a A $x B"))).to.have.length(10);
    });

    it("trims the parts and splits only the first $a", () => {
      const field = dataField("651", " ", "0", [
        ["a", "  New Jersey--Politics and government  "],
        ["a", "Second -- a"],
      ]);
      splitHeading(field);
      expect(show(field)).to.equal("651  0 $a New Jersey $a Second -- a $x Politics and government");
    });
  });

  describe("rule 10: removeHoldingsFields", () => {
    it("removes every 852", () => {
      const r = record(
        dataField("852", " ", " ", [["a", "Princeton"]]),
        dataField("856", "4", "2", [["u", "http://x"]]),
        dataField("852", " ", " ", [["b", "mss"]]),
      );
      removeHoldingsFields(r);
      expect(showAll(r)).to.deep.equal(["856 42 $u http://x"]);
    });
  });

  describe("rule 11: replaceFindingAidLink", () => {
    it("replaces the first 856 with 856 4 2 $z Search and Request $u {its $u} $y … Finding Aids", () => {
      const r = record(
        dataField("856", "4", "2", [
          ["z", "Finding aid online:"],
          ["u", "http://arks.princeton.edu/ark:/88435/rj430454b"],
        ]),
        dataField("856", "4", "1", [["u", "http://example.org/second"]]),
      );
      replaceFindingAidLink(r, settings);
      expect(showAll(r)).to.deep.equal([
        "856 42 $z Search and Request $u http://arks.princeton.edu/ark:/88435/rj430454b $y Princeton University Library Finding Aids",
        "856 41 $u http://example.org/second",
      ]);
    });

    it("takes the labels from the settings", () => {
      const r = record(dataField("856", " ", " ", [["u", "http://x"]]));
      replaceFindingAidLink(r, {
        ...settings,
        findingAidLabel: "Request",
        findingAidNote: "Our Finding Aids",
      });
      expect(showAll(r)).to.deep.equal(["856 42 $z Request $u http://x $y Our Finding Aids"]);
    });
  });

  describe("rule 12: addLocationFields", () => {
    it("turns 'Location of resource: scarcpph.' into 982 $c scarcpph after the last data field", () => {
      const r = record(
        controlField("008", F008),
        dataField("500", " ", " ", [["a", "Location of resource: scarcpph."]]),
        dataField("856", "4", "2", [["u", "http://x"]]),
      );
      addLocationFields(r, settings);
      expect(showAll(r)).to.deep.equal([
        `008 ${F008}`,
        "500    $a Location of resource: scarcpph.",
        "856 42 $u http://x",
        "982    $c scarcpph",
      ]);
    });

    it("gives one 982 per code in the note and none for a note of no known code", () => {
      const r = record(
        dataField("500", " ", " ", [["a", "Location of resource: scamss scarcppl."]]),
        dataField("500", " ", " ", [["a", "Location of resource: Firestone basement."]]),
        dataField("500", " ", " ", [["a", "Processed in 2015."]]),
      );
      addLocationFields(r, settings);
      expect(showAll(r).slice(3)).to.deep.equal(["982    $c scamss", "982    $c scarcppl"]);
    });

    it("strips only the label: a colon later in the note stays part of the codes", () => {
      expect(locationCodesOf("Location of resource: scamss: see note.")).to.deep.equal([
        "scamss:",
        "see",
        "note",
      ]);
      expect(locationCodesOf("Stored offsite. Location of resource: scarcpph.")).to.deep.equal(["scarcpph"]);
      const r = record(dataField("500", " ", " ", [["a", "Location of resource: scamss: see note."]]));
      addLocationFields(r, settings);
      expect(showAll(r).slice(1)).to.deep.equal(["982    $c scamss:", "982    $c see", "982    $c note"]);
    });

    it("reads codes with or without the sca prefix", () => {
      expect(locationCodesOf("Location of resource: mudd.")).to.deep.equal(["mudd"]);
      expect(settings.locationNote.test("Location of resource: mudd.")).to.equal(true);
      expect(settings.locationNote.test("Location of resource: scamudd.")).to.equal(true);
      expect(settings.locationNote.test("Location of resource: Firestone.")).to.equal(false);
    });
  });

  describe("rule 14: removeInternalNotes", () => {
    it("removes the first 351 and every 500, 524, 535, 540, 541, 544, 561 and 583", () => {
      const tags = [
        "351",
        "351",
        "500",
        "500",
        "520",
        "524",
        "535",
        "540",
        "541",
        "544",
        "561",
        "583",
        "600",
      ];
      const r = record(...tags.map((tag, i) => dataField(tag, " ", " ", [["a", `note ${i}`]])));
      removeInternalNotes(r);
      expect(showAll(r)).to.deep.equal(["351    $a note 1", "520    $a note 4", "600    $a note 12"]);
    });
  });

  describe("rule 15: markLocalHeadings", () => {
    it("appends $5 NjP to fields with ind2 7 and $2 local", () => {
      const r = record(
        dataField("655", " ", "7", [
          ["a", "Correspondence."],
          ["2", "local"],
        ]),
        dataField("655", " ", "7", [
          ["a", "Photographs."],
          ["2", "aat"],
        ]),
        dataField("650", " ", "0", [
          ["a", "Local"],
          ["2", "local"],
        ]),
      );
      markLocalHeadings(r, settings);
      expect(showAll(r)).to.deep.equal([
        "655  7 $a Correspondence. $2 local $5 NjP",
        "655  7 $a Photographs. $2 aat",
        "650  0 $a Local $2 local",
      ]);
    });
  });
});
