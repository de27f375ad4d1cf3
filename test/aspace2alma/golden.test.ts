/**
 * The golden file: the fixture ArchivesSpace (src/sandbox/aspace/seed.ts) exported end to end must give
 * test/fixtures/aspace2alma/expected.xml byte for byte. The file was reviewed by hand against the rules of the
 * reference; the second block below writes that review down, rule by rule, as checks on the file itself.
 *
 * Which fixture exercises what:
 *   /repositories/3/resources/1  MC001.01  rules 1-15 and item fields: blank 100 $e and empty 506 (1), CR/LF
 *                                          in 520 (2), 001/003/035 (3, 4), 040 (5), 046 after the first 041
 *                                          (6), 245 $g (7), 600 viaf $0/$2, 650/700 `--` splitting with $y (9),
 *                                          852 (10), first of two 856 (11), location 500 (12), containers
 *                                          10, 2, 1, Oversize at/away from ReCAP, with/without barcode, one in
 *                                          Alma (13, §4), two 351 and staff notes (14), 650 $2 local (15)
 *   /repositories/3/resources/2  C0101     long 520s: 8,000 chars cut, 7,999 kept (8); no 041 (6); two codes
 *                                          in one location note and a note with no code (12); no ReCAP box
 *   /repositories/3/resources/3  C0140     excluded id: not in the output
 *   /repositories/3/resources/4  LAE035    excluded pattern: not in the output
 *   /repositories/3/resources/5  C0744x06  a dot in the list is literal: C0744.06 is listed, C0744x06 stays
 *   /repositories/3/resources/6  C0200     no 856: not in the output
 *   /repositories/3/resources/7  C0300     no 008: skipped, reported
 *   /repositories/3/resources/8  (none)    no 099: skipped, reported
 *   /repositories/3/resources/9  C0400     not well-formed XML: skipped, reported
 *   /repositories/3/resources/12 C0500     listed first by ArchivesSpace, written after 9 (numeric order)
 *   /repositories/12/resources/3 AC999     & and < read and written escaped, also in inserted values (856 $u,
 *                                          949 $b); repository 12 after 3; one barcode already in Alma
 *   /repositories/4                        a repository without resources
 */
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseMarcXml } from "../../src/marc/reader.js";
import {
  getControlValue,
  getDataFields,
  subfieldValue,
  type DataField,
  type MarcRecord,
} from "../../src/marc/record.js";
import { repoRoot } from "../helpers/cli.js";
import { makeWorld, OUTPUT_DIR, type World } from "./world.js";

const EXPECTED = path.join(repoRoot, "test/fixtures/aspace2alma/expected.xml");

const show = (field: DataField) =>
  `${field.tag} ${field.ind1}${field.ind2} ${field.subfields.map((s) => `$${s.code} ${s.value}`).join(" ")}`;

describe("aspace2alma golden file", () => {
  let world: World;

  afterEach(async () => {
    await world?.close();
  });

  it("exports the fixture repository to exactly the expected bytes, skipping and reporting the three broken ones", async () => {
    world = await makeWorld();
    const summary = await world.run();
    const output = await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(EXPECTED, output);
    expect(output).to.equal(await readFile(EXPECTED, "utf8"));
    expect(summary.counts).to.deep.include({ resources: 11, exported: 5, excluded: 3, failed: 3, items: 5 });
    expect(summary.failures.map((f) => [f.record, f.message])).to.deep.equal([
      ["/repositories/3/resources/7", "the MARC export has no 008"],
      ["/repositories/3/resources/8", "the MARC export has no 099 $a (call number)"],
      ["/repositories/3/resources/9", "the MARC export is not well-formed XML: unexpected close tag."],
    ]);
  });

  it("gives the same bytes at concurrency 1 and when later resources answer first", async () => {
    world = await makeWorld({ config: (raw) => void (raw.aspace.concurrency = 1) });
    await world.run();
    const sequential = await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`);
    await world.close();
    // The first resources are the slowest: with 4 at once, answers arrive out of order.
    world = await makeWorld({
      config: (raw) => void (raw.aspace.concurrency = 4),
      simulator: { latencyMs: (p) => (/marc21\/(1|2)\.xml$/.test(p) ? 80 : 0) },
    });
    await world.run();
    const concurrent = await world.readServed(`${OUTPUT_DIR}/MARC_out.xml`);
    expect(sequential).to.equal(await readFile(EXPECTED, "utf8"));
    expect(concurrent).to.equal(sequential);
    expect(world.aspace.stats.maxInFlight).to.be.greaterThan(1);
  });

  describe("the expected file, reviewed rule by rule", () => {
    let records: Map<string, MarcRecord>;
    let text: string;
    const field = (callNumber: string, tag: string) => getDataFields(records.get(callNumber)!, tag).map(show);

    before(async () => {
      text = await readFile(EXPECTED, "utf8");
      records = new Map(parseMarcXml(text).map((r) => [getControlValue(r, "001")!, r]));
    });

    it("§5: one collection with the reference's namespaces, records in repository then resource-id order", () => {
      expect(text.split("\n")[1]).to.equal(
        '<collection xmlns="http://www.loc.gov/MARC21/slim" xmlns:marc="http://www.loc.gov/MARC21/slim" ' +
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
          'xsi:schemaLocation="http://www.loc.gov/MARC21/slim http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd">',
      );
      expect([...records.keys()]).to.deep.equal(["MC001.01", "C0101", "C0744x06", "C0500", "AC999"]);
    });

    it("§2: excluded ids and patterns, records without 856, and broken records are not in it", () => {
      for (const absent of ["C0140", "LAE035", "C0200", "C0300", "C0400"])
        expect(text).not.to.include(absent);
    });

    it("rule 1: blank subfields and empty fields are gone", () => {
      expect(field("MC001.01", "100")).to.deep.equal(["100 1  $a American Civil Liberties Union."]);
      expect(field("MC001.01", "506")).to.deep.equal([]);
    });

    it("rule 2: line breaks in subfields are single spaces", () => {
      expect(field("MC001.01", "520")).to.deep.equal([
        "520 2  $a The records document the ACLU. A second paragraph. A third line.",
      ]);
    });

    it("rules 3 and 4: 001, 003 before 008 and 035 after it", () => {
      const tags = records
        .get("MC001.01")!
        .fields.slice(0, 4)
        .map((f) => f.tag);
      expect(tags).to.deep.equal(["001", "003", "008", "035"]);
      expect(getControlValue(records.get("MC001.01")!, "003")).to.equal("PULFA");
      expect(field("MC001.01", "035")).to.deep.equal(["035    $a (PULFA)MC001.01"]);
    });

    it("rule 5: the 040 is NjP's", () => {
      expect(field("MC001.01", "040")).to.deep.equal(["040    $a NjP $b eng $e dacs $c NjP"]);
      expect(field("C0101", "040")).to.deep.equal([]);
    });

    it("rule 6: 046 from the 008 dates after the first 041, none without 041", () => {
      const tags = records.get("MC001.01")!.fields.map((f) => f.tag);
      expect(tags.indexOf("046")).to.equal(tags.indexOf("041") + 1);
      expect(field("MC001.01", "046")).to.deep.equal(["046    $a i $c 1917 $e 1950"]);
      expect(field("C0101", "046")).to.deep.equal([]);
    });

    it("rule 7: 245 $g is (mostly …)", () => {
      expect(subfieldValue(getDataFields(records.get("MC001.01")!, "245")[0]!, "g")).to.equal(
        "(mostly 1930-1950)",
      );
    });

    it("rule 8: a 520 of 8,000 characters is cut to 7,996 + '...', one of 7,999 is kept whole", () => {
      const notes = getDataFields(records.get("C0101")!, "520").map((f) => subfieldValue(f, "a")!);
      expect(notes.map((n) => n.length)).to.deep.equal([7999, 7999]);
      expect(notes[0]!.endsWith("...")).to.equal(true);
      expect(notes[1]!.endsWith("...")).to.equal(false);
    });

    it("rule 9: headings split on -- and VIAF links recoded", () => {
      expect(field("MC001.01", "600")).to.deep.equal([
        "600 10 $a Baldwin, Roger N. $1 https://viaf.org/viaf/109866015",
      ]);
      expect(field("MC001.01", "650")[0]).to.equal(
        "650  0 $a Textile workers $x Labor unions $x New Jersey $x History $y 20th century.",
      );
      expect(field("MC001.01", "700")).to.deep.equal(["700 1  $a Holmes, John Haynes $x Correspondence"]);
    });

    it("rules 10 and 11: no 852; the first 856 is the finding-aid link, the second is kept", () => {
      expect(field("MC001.01", "852")).to.deep.equal([]);
      expect(field("MC001.01", "856")).to.deep.equal([
        "856 42 $z Search and Request $u http://arks.princeton.edu/ark:/88435/rj430454b $y Princeton University Library Finding Aids",
        "856 41 $u http://example.org/second-link",
      ]);
    });

    it("rule 12: one 982 per location code of the location notes", () => {
      expect(field("MC001.01", "982")).to.deep.equal(["982    $c scarcpph"]);
      expect(field("C0101", "982")).to.deep.equal(["982    $c scamss", "982    $c scarcppl"]);
    });

    it("rule 13 and §4: items for barcoded ReCAP containers not in Alma, in indicator order, after the 982s", () => {
      expect(field("MC001.01", "949")).to.deep.equal([
        "949    $a 32101000000999 $b folder Oversize $c rcppf $d (PULFA)MC001.01",
        "949    $a 32101000000010 $b box 1 $c scarcpph $d (PULFA)MC001.01",
        "949    $a 32101000000100 $b box 10 $c scarcpph $d (PULFA)MC001.01",
      ]);
      const tags = records.get("MC001.01")!.fields.map((f) => f.tag);
      expect(tags.slice(-4)).to.deep.equal(["982", "949", "949", "949"]);
      expect(field("C0101", "949")).to.deep.equal([]);
      expect(field("AC999", "949")).to.deep.equal([
        "949    $a 32101000001212 $b box 12 & 13 $c scarcpxg $d (PULFA)AC999",
      ]);
    });

    it("rule 14: the first 351 and the staff notes are gone", () => {
      expect(field("MC001.01", "351")).to.deep.equal(["351    $b Second arrangement note, kept."]);
      for (const tag of ["500", "524", "535", "540", "541", "544", "561", "583"]) {
        expect(field("MC001.01", tag), tag).to.deep.equal([]);
      }
    });

    it("rule 15: $5 NjP on the local heading only", () => {
      expect(field("MC001.01", "650")[1]).to.equal("650  7 $a Civil rights $2 local $x United States $5 NjP");
      expect(field("MC001.01", "655")).to.deep.equal(["655  7 $a Correspondence. $2 aat"]);
    });

    it("escapes & and < in values read and inserted", () => {
      expect(text).to.include('<subfield code="a">Town &amp; Gown &lt;Committee&gt; Records</subfield>');
      expect(text).to.include("https://findingaids.princeton.edu/catalog?id=AC999&amp;view=full");
      expect(text).to.include('<subfield code="b">box 12 &amp; 13</subfield>');
      expect(text).to.include('<subfield code="x">Records &lt;archival&gt;</subfield>');
    });
  });
});
