/**
 * The fixture ArchivesSpace: records written to exercise every rule of the aspace2alma export (reference §2–§4).
 * Each resource says which rules it exercises. Repositories and resource ids are listed out of order on purpose:
 * the output must still come in repository, then resource-id order (3 before 12, 2 before 12).
 */
import type { TopContainerRecord } from "./top-container.js";
import type { SimulatedRepository, SimulatedResource } from "./simulator.js";

/** Barcodes Alma already has (the Analytics report / the Alma set): their containers get no 949. */
export const SEED_ALMA_BARCODES = ["32101000000020", "32101000001203"];

const OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<collection xmlns="http://www.loc.gov/MARC21/slim" xmlns:marc="http://www.loc.gov/MARC21/slim" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://www.loc.gov/MARC21/slim http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd">\n';

/** One record in the envelope ArchivesSpace's `marc21` export uses. */
function exportOf(...lines: string[]): string {
  return `${OPEN}<record>\n${lines.map((line) => `  ${line}\n`).join("")}</record>\n</collection>\n`;
}

const LEADER = "<leader>00000npcaa2200000 u 4500</leader>";
const c008 = (value = "221215i19171950xx                  eng d") =>
  `<controlfield tag="008">${value}</controlfield>`;
const df = (tag: string, ind: string, ...subfields: [string, string][]) =>
  `<datafield ind1="${ind[0]}" ind2="${ind[1]}" tag="${tag}">` +
  subfields.map(([code, value]) => `<subfield code="${code}">${value}</subfield>`).join("") +
  "</datafield>";

function box(
  id: number,
  indicator: string,
  barcode: string | undefined,
  location: string | undefined,
  type = "box",
  repository = 3,
): TopContainerRecord {
  return {
    uri: `/repositories/${repository}/top_containers/${id}`,
    indicator,
    type,
    ...(barcode === undefined ? {} : { barcode }),
    container_locations: location
      ? [{ ref: "/locations/1", status: "current", _resolved: { classification: location, title: location } }]
      : [],
  };
}

/** A sentence repeated to exactly `length` characters. */
function filler(
  length: number,
  sentence = "The collection documents the daily work of the office. ",
): string {
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}

const FULL: SimulatedResource = {
  id: 1,
  exercises:
    "rules 1-15 and item fields: empty subfield and field (1), line breaks (2), 001/003/035 (3, 4), 040 (5), " +
    "046 after 041 (6), 245 $g (7), 600 viaf $0/$2 and -- splitting into $x/$y (9), 852 (10), first 856 only (11), " +
    "location 500 (12), containers 10, 2, 1, Oversize at and away from ReCAP, with and without barcodes, one " +
    "already in Alma (13, §4), first 351 and staff notes removed (14), $2 local (15)",
  marcXml: exportOf(
    LEADER,
    c008(),
    df("040", "  ", ["a", "ASpace"], ["b", "eng"], ["e", "dacs"]),
    df("041", "0 ", ["a", "eng"], ["a", "fre"]),
    df("099", "  ", ["a", "MC001.01"]),
    df("100", "1 ", ["a", "American Civil Liberties Union."], ["e", "   "]),
    df("245", "10", ["a", "American Civil Liberties Union Records"], ["f", "1917-1950"], ["g", "1930-1950"]),
    df("300", "  ", ["a", "2,550 boxes"]),
    df("351", "  ", ["a", "Arranged in series by office."]),
    df("351", "  ", ["b", "Second arrangement note, kept."]),
    df("500", "  ", ["a", "Location of resource: scarcpph."]),
    df("500", "  ", ["a", "Processed in 2015."]),
    df("506", "  ", ["a", " "]),
    df("520", "2 ", [
      "a",
      "The records document the ACLU.&#13;&#10;&#13;&#10;A second paragraph.\nA third line.",
    ]),
    df("524", "  ", ["a", "American Civil Liberties Union Records; Public Policy Papers."]),
    df("535", "  ", ["a", "Original held elsewhere."]),
    df("540", "  ", ["a", "Single photocopies may be made."]),
    df("541", "  ", ["a", "Gift of the ACLU."]),
    df("544", "  ", ["a", "Related papers."]),
    df("561", "  ", ["a", "Provenance note."]),
    df("583", "  ", ["a", "Processing action."]),
    df("600", "17", ["a", "Baldwin, Roger N."], ["0", "https://viaf.org/viaf/109866015"], ["2", "viaf"]),
    df(
      "610",
      "27",
      ["a", "United States. Congress"],
      ["0", "http://id.loc.gov/authorities/names/n79"],
      ["2", "lcnaf"],
    ),
    df("650", " 0", ["a", "Textile workers -- Labor unions -- New Jersey -- History -- 20th century."]),
    df("650", " 7", ["a", "Civil rights -- United States"], ["2", "local"]),
    df("655", " 7", ["a", "Correspondence."], ["2", "aat"]),
    df("700", "1 ", ["a", "Holmes, John Haynes -- Correspondence"]),
    df("852", "  ", ["a", "Princeton University Library"], ["b", "mss"]),
    df("856", "42", ["z", "Finding aid online:"], ["u", "http://arks.princeton.edu/ark:/88435/rj430454b"]),
    df("856", "41", ["u", "http://example.org/second-link"]),
  ),
  topContainers: [
    box(101, "10", "32101000000100", "scarcpph"), // at ReCAP: item, sorted last
    box(102, "2", "32101000000020", "scarcpph"), // already in Alma: no item
    box(103, "1", "32101000000010", "scarcpph"), // at ReCAP: item, sorted first among numbers
    box(104, "Oversize", "32101000000999", "rcppf", "folder"), // no digits sorts as 0; ReCAP without "sca"
    box(105, "3", undefined, "scarcpph"), // no barcode: no item
    box(106, "4", "32101000000040", "scamudd"), // not at ReCAP: no item
    box(107, "5", "32101000000050", undefined), // no location: no item
  ],
};

const LONG_NOTES: SimulatedResource = {
  id: 2,
  exercises:
    "rule 8 (a 520 of 8,000 characters is cut to 7,996 + '...', one of exactly 7,999 is kept, every 520 kept); " +
    "rule 6 without a 041 (no 046); rule 12 with two codes in one note and a note of no known code; no containers " +
    "at ReCAP (no 949)",
  marcXml: exportOf(
    LEADER,
    c008("230101i19001990xx                  eng d"),
    df("099", "  ", ["a", "C0101"]),
    df("245", "10", ["a", "Long Notes Papers"], ["f", "1900-1990"]),
    df("500", "  ", ["a", "Location of resource: scamss scarcppl."]),
    df("500", "  ", ["a", "Location of resource: Firestone basement."]),
    df("520", "2 ", ["a", filler(8000)]),
    df("520", "2 ", ["a", filler(7999, "Exactly at the limit. ")]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/long"]),
  ),
  topContainers: [box(108, "1", "32101000000201", "scamudd")],
};

const EXCLUDED_ID: SimulatedResource = {
  id: 3,
  exercises: "§2 exclusion list: call number C0140 is left out",
  marcXml: exportOf(
    LEADER,
    c008(),
    df("099", "  ", ["a", "C0140"]),
    df("245", "10", ["a", "Excluded Collection"]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/excluded"]),
  ),
  topContainers: [box(109, "1", "32101000000301", "scarcpph")],
};

const EXCLUDED_PATTERN: SimulatedResource = {
  id: 4,
  exercises: "§2 excluded pattern LAE\\d+: call number LAE035 is left out",
  marcXml: exportOf(
    LEADER,
    c008(),
    df("099", "  ", ["a", "LAE035"]),
    df("245", "10", ["a", "Latin American Ephemera"]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/lae"]),
  ),
  topContainers: [],
};

const DOT_IS_LITERAL: SimulatedResource = {
  id: 5,
  exercises:
    "§2 entries are literal: C0744x06 is not C0744.06 (the reference's unescaped dot would have dropped it); " +
    "a record with no 041, no 245 $g and no containers",
  marcXml: exportOf(
    LEADER,
    c008("200101i19441944xx                  eng d"),
    df("099", "  ", ["a", "C0744x06"]),
    df("245", "10", ["a", "Not Excluded Papers"]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/dot"]),
  ),
  topContainers: [],
};

const NO_856: SimulatedResource = {
  id: 6,
  exercises: "§2: a record without an 856 (no finding-aid link) is left out",
  marcXml: exportOf(
    LEADER,
    c008(),
    df("099", "  ", ["a", "C0200"]),
    df("245", "10", ["a", "No Finding Aid"]),
  ),
  topContainers: [],
};

const NO_008: SimulatedResource = {
  id: 7,
  exercises: "per-resource error: no 008, skipped and reported",
  marcXml: exportOf(
    LEADER,
    df("099", "  ", ["a", "C0300"]),
    df("245", "10", ["a", "No Fixed Field"]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/no008"]),
  ),
  topContainers: [],
};

const NO_099: SimulatedResource = {
  id: 8,
  exercises: "per-resource error: no 099 $a, skipped and reported",
  marcXml: exportOf(
    LEADER,
    c008(),
    df("245", "10", ["a", "No Call Number"]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/no099"]),
  ),
  topContainers: [],
};

const BAD_MARC: SimulatedResource = {
  id: 9,
  exercises: "per-resource error: the export is not well-formed XML, skipped and reported",
  marcXml: `${OPEN}<record>\n  ${LEADER}\n  <datafield tag="099" ind1=" " ind2=" "><subfield code="a">C0400</subfield>\n</collection>\n`,
  topContainers: [],
};

const LATER_ID: SimulatedResource = {
  id: 12,
  exercises: "resource order is numeric: 12 comes after 9, although ArchivesSpace lists it first",
  marcXml: exportOf(
    LEADER,
    c008("190101i18501900xx                  eng d"),
    df("041", "  ", ["a", "eng"]),
    df("099", "  ", ["a", "C0500"]),
    df("245", "10", ["a", "Twelfth Resource Papers"], ["g", "1860-1870"]),
    df("856", "42", ["u", "http://arks.princeton.edu/ark:/88435/twelve"]),
  ),
  topContainers: [box(110, "1", "32101000001201", "scarcpxg")],
};

const ESCAPING: SimulatedResource = {
  id: 3,
  exercises:
    "XML escaping of every value, read and inserted: & and < in 245, 520 and 650 (split into $x), an 856 $u with " +
    "& (rule 11 re-inserts it), a container indicator with & (949 $b); one barcode already in Alma",
  marcXml: exportOf(
    LEADER,
    c008("210101i19902000xx                  eng d"),
    df("041", "  ", ["a", "eng"]),
    df("099", "  ", ["a", "AC999"]),
    df("245", "10", ["a", "Town &amp; Gown &lt;Committee&gt; Records"], ["g", "1995-1999"]),
    df("520", "2 ", ["a", "Minutes &amp; reports; a &lt; b &gt; c."]),
    df("650", " 0", ["a", "Universities &amp; colleges -- Records &lt;archival&gt; -- 1990-2000"]),
    df("856", "42", ["u", "https://findingaids.princeton.edu/catalog?id=AC999&amp;view=full"]),
  ),
  topContainers: [
    box(111, "12 & 13", "32101000001212", "scarcpxg", "box", 12),
    box(112, "2", "32101000001203", "scarcpxg", "box", 12), // already in Alma
  ],
};

/** The fixture repositories, listed out of order (12 before 3) like a server that does not sort. */
export function aspaceSeedRepositories(): SimulatedRepository[] {
  return [
    {
      uri: "/repositories/12",
      repo_code: "univarchives",
      name: "University Archives",
      resources: [ESCAPING],
    },
    {
      uri: "/repositories/3",
      repo_code: "mss",
      name: "Manuscripts Division",
      resources: [LATER_ID, FULL, LONG_NOTES, EXCLUDED_ID, EXCLUDED_PATTERN, DOT_IS_LITERAL, NO_856, NO_008, NO_099, BAD_MARC],
    },
    { uri: "/repositories/4", repo_code: "empty", name: "A Repository Without Resources", resources: [] },
  ]; // prettier-ignore
}

/** Only the resources that export cleanly (no per-resource error): for runs that should end with exit 0. */
export function aspaceCleanSeedRepositories(): SimulatedRepository[] {
  const broken = new Set([NO_008, NO_099, BAD_MARC]);
  return aspaceSeedRepositories().map((repository) => ({
    ...repository,
    resources: repository.resources.filter((resource) => !broken.has(resource)),
  }));
}
