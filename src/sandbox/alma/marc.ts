import { childElements, element, textOf, type XmlElement } from "./xml.js";

/** The values of every `$code` of every `tag` datafield, in record order. */
export function subfieldValues(record: XmlElement, tag: string, code: string): string[] {
  return childElements(record, "datafield")
    .filter((field) => field.attributes.tag === tag)
    .flatMap((field) => childElements(field, "subfield").filter((sub) => sub.attributes.code === code))
    .map((sub) => textOf(sub).trim());
}

export function firstSubfield(record: XmlElement, tag: string, code: string): string | undefined {
  return subfieldValues(record, tag, code)[0];
}

/** Sets (or adds, first) a control field such as 001. */
export function setControlField(record: XmlElement, tag: string, value: string): void {
  const existing = childElements(record, "controlfield").find((field) => field.attributes.tag === tag);
  if (existing) {
    existing.children = [value];
    return;
  }
  const field = element("controlfield", { tag }, [value]);
  const leaderIndex = record.children.findIndex(
    (child) => typeof child !== "string" && child.name === "leader",
  );
  record.children.splice(leaderIndex + 1, 0, field);
}

/** Alma titles come from 245 $a (and $b) without the trailing ISBD punctuation. */
export function titleOf(record: XmlElement): string {
  const parts = [firstSubfield(record, "245", "a"), firstSubfield(record, "245", "b")].filter(
    (part): part is string => part !== undefined && part !== "",
  );
  return parts
    .join(" ")
    .replace(/[\s/:;,.]+$/, "")
    .trim();
}

export function authorOf(record: XmlElement): string | undefined {
  return firstSubfield(record, "100", "a") ?? firstSubfield(record, "110", "a");
}

function datafield(tag: string, ind1: string, ind2: string, subfields: [string, string][]): XmlElement {
  return element(
    "datafield",
    { tag, ind1, ind2 },
    subfields.map(([code, value]) => element("subfield", { code }, [value])),
  );
}

/** A minimal bibliographic record for fixture bibs that come without one. */
export function buildBibRecord(bib: {
  mms_id: string;
  title: string;
  author?: string;
  network_number: string[];
}): XmlElement {
  const children: XmlElement[] = [
    element("leader", {}, ["00000nam a2200000 i 4500"]),
    element("controlfield", { tag: "001" }, [bib.mms_id]),
    ...bib.network_number.map((value) => datafield("035", " ", " ", [["a", value]])),
  ];
  if (bib.author) children.push(datafield("100", "1", " ", [["a", bib.author]]));
  children.push(datafield("245", "1", "0", [["a", bib.title]]));
  return element("record", {}, children);
}

/** The holding record Alma keeps: an 852 with library ($b), location ($c) and call number ($h). */
export function buildHoldingRecord(holding: {
  library: string;
  location: string;
  call_number?: string;
}): XmlElement {
  const subfields: [string, string][] = [
    ["b", holding.library],
    ["c", holding.location],
  ];
  if (holding.call_number) subfields.push(["h", holding.call_number]);
  return element("record", {}, [
    element("leader", {}, ["00000nx  a2200000zn 4500"]),
    datafield("852", "0", " ", subfields),
  ]);
}
