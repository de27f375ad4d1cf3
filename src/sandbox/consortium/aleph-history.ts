import type { AlephSimulatorOptions, SeededItem } from "../aleph/index.js";

/** Aleph's clock in the sandbox: the end of the first window aleph-items asks for. */
export const ALEPH_CLOCK = "202401151300";
/** `aleph.default_start`: the first run's window starts here (a plain date, no time zone trouble). */
export const ALEPH_DEFAULT_START = "20240115";

const STACKS = "OTHER - CPMCK STACK";

/**
 * A morning of accessions in Aleph: five items created today (new to CaiaSoft), and two older ones changed
 * today (updates; Aleph sends every field, null where empty). Paged three to a page, so a run follows `nextitem`.
 */
export function alephHistory(): SeededItem[] {
  return [
    accession("31430051335943", "202401150905", {
      title: "Immigrant youth in cultural transition",
      call_number: "JV6342.I46 2006",
      oclc: "61684218",
      isbn: "0805851569",
      publisher: "Mahwah, N.J. : Erlbaum, 2006",
      bib_record_nbr: "003337768",
    }),
    accession("31430051335950", "202401150912", {
      title: "The making of the English working class",
      author: "Thompson, E. P.",
      call_number: "HD8399.E52 T46 1966",
      oclc: "412592",
      bib_record_nbr: "000412592",
    }),
    accession("31430051335968", "202401151004", {
      title: "Silent spring",
      author: "Carson, Rachel",
      call_number: "SB959 .C3",
      oclc: "560049",
      bib_record_nbr: "000560049",
    }),
    accession("31430051335976", "202401151131", {
      title: "Journal of Maryland history",
      volume: "v.12 (1998)",
      call_number: "F176 .J68",
      issn: "0025-4258",
      bib_record_nbr: "001199874",
    }),
    accession("31430051335984", "202401151207", {
      title: "Invisible man",
      author: "Ellison, Ralph",
      call_number: "PS3555.L625 I5 1952",
      oclc: "1321380",
      bib_record_nbr: "001321380",
    }),
    {
      ...accession("31430035848219", "20231102", {
        title: "Speaking for vice",
        author: "Weinberg, Jonathan, 1957-",
        call_number: "N6512 .W44 1993",
      }),
      updated: ["202401151022"],
    },
    {
      ...accession("31430035848227", "20230914", {
        title: "A history of the University of Maryland",
        call_number: "LD3231.M72 C3",
        edition: "2nd ed.",
      }),
      updated: ["202401151140"],
    },
  ];
}

function accession(barcode: string, created: string, fields: Record<string, unknown>): SeededItem {
  return { barcode, created, fields: { collection: STACKS, ...fields } };
}

/** The Aleph simulator's options for the sandbox. */
export function alephOptions(): AlephSimulatorOptions {
  return { items: alephHistory(), clock: ALEPH_CLOCK, pageSize: 3 };
}
