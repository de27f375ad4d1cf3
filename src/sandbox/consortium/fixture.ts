import {
  defaultFixture,
  formatId,
  IdPrefix,
  NZ_IDS,
  type AlmaFixture,
  type FixtureInstitution,
} from "../alma/index.js";

/**
 * The sandbox's Alma: the default fixture (SCF `01AAA_RS`, members `01AAA_AB` and `01AAA_CD`) plus what a day's
 * work needs — SCF copies already on the shelf (one to request, one whose member item left remote storage, one
 * whose member item was withdrawn) and the patrons' requests the request exports name.
 */
export const SCF = "01AAA_RS";
export const AB = "01AAA_AB";
export const CD = "01AAA_CD";

const SUFFIX = { [AB]: "0001", [CD]: "0002", [SCF]: "0003" } as const;
type Code = keyof typeof SUFFIX;

const bib = (n: number, code: Code) => formatId(IdPrefix.bib, n, SUFFIX[code]);
const holding = (n: number, code: Code) => formatId(IdPrefix.holding, n, SUFFIX[code]);
const item = (n: number, code: Code) => formatId(IdPrefix.item, n, SUFFIX[code]);
const request = (n: number, code: Code) => formatId(IdPrefix.request, n, SUFFIX[code]);

/** The member records the seeded files name. */
export const MEMBER_BIBS = {
  abOrigin: bib(1, AB),
  abLeaves: bib(2, AB),
  abMinutes: bib(3, AB),
  cdOrigin: bib(1, CD),
  cdMiddlemarch: bib(2, CD),
} as const;

/** Member barcodes and what the day does with each (the SCF copy is the barcode + `X`). */
export const BARCODES = {
  /** AB, in the SCF and on loan to 01AAA_AB-ABRS; a patron's hold waits on it at AB. Updated, then returned. */
  abOnLoan: "31234000123456",
  /** AB, newly in remote storage: created in the SCF and loaned. */
  abNew: "31234000123457",
  /** AB, a local record (no Network Zone id): created in the SCF under a new local bib. Then digitized. */
  abMinutes: "31234000334455",
  /** AB, moved back to the main stacks: its SCF copy is withdrawn. */
  abLeft: "31234000223344",
  /** AB, in the SCF and on its shelf: a patron's hold is carried to the SCF. */
  abOnShelf: "31234000123458",
  /** CD, in the SCF and on its shelf: updated; a patron's hold is carried to the SCF, then cancelled there. */
  cdOnShelf: "32345000111111",
  /** CD, newly in remote storage: created in the SCF under a bib made from the Network Zone. */
  cdNew: "32345000222222",
  /** CD, withdrawn at CD (the `_delete` file): its SCF copy is deleted. */
  cdWithdrawn: "32345000999999",
} as const;

/** The member requests the exports carry, and the one that waits at AB for the loan's return. */
export const REQUESTS = {
  abWaitingHold: request(1, AB),
  abItemHold: request(2, AB),
  abTitleHold: request(3, AB),
  abDigitization: request(4, AB),
  cdItemHold: request(1, CD),
} as const;

export const PATRONS = {
  ab: {
    primaryId: "ab-jdoe",
    name: "Doe, Jane",
    barcode: "21234000111111",
    email: "ab-jdoe@example.edu",
    address: "12 College Street, Springfield",
  },
  cd: {
    primaryId: "cd-asmith",
    name: "Smith, Alex",
    barcode: "22345000222222",
    email: "cd-asmith@example.edu",
    address: "12 College Street, Springfield",
  },
} as const;

/** The sandbox fixture: a fresh copy each call (the simulator never changes it, but callers might). */
export function sandboxFixture(): AlmaFixture {
  const fixture = structuredClone(defaultFixture);
  extendScf(institution(fixture, SCF));
  extendAb(institution(fixture, AB));
  extendCd(institution(fixture, CD));
  return fixture;
}

function institution(fixture: AlmaFixture, code: string): FixtureInstitution {
  const found = fixture.institutions.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`the default fixture has no institution ${code}`);
  return found;
}

function scfCopy(n: number, barcode: string, provenance: string, mmsId: string, holdingId: string) {
  return {
    pid: item(n, SCF),
    mms_id: mmsId,
    holding_id: holdingId,
    item_data: {
      barcode: `${barcode}X`,
      provenance: { value: provenance },
      physical_material_type: { value: "BOOK", desc: "Book" },
      policy: { value: "", desc: "" },
    },
  };
}

function extendScf(scf: FixtureInstitution): void {
  (scf.bibs ??= []).push({
    mms_id: bib(2, SCF),
    title: "Leaves of grass",
    author: "Whitman, Walt",
    network_number: [`(EXLNZ-01AAA_NETWORK)${NZ_IDS.leavesOfGrass}`, "(OCoLC)2345678"],
  });
  (scf.holdings ??= []).push({
    holding_id: holding(2, SCF),
    mms_id: bib(2, SCF),
    library: "RS",
    location: "rs_shared",
  });
  const origin = { mmsId: bib(1, SCF), holdingId: holding(1, SCF) };
  (scf.items ??= []).push(
    scfCopy(2, BARCODES.abLeft, AB, bib(2, SCF), holding(2, SCF)),
    scfCopy(3, BARCODES.abOnShelf, AB, origin.mmsId, origin.holdingId),
    scfCopy(4, BARCODES.cdOnShelf, CD, origin.mmsId, origin.holdingId),
    scfCopy(5, BARCODES.cdWithdrawn, CD, origin.mmsId, origin.holdingId),
  );
}

const physicalHold = (library: string) => ({
  request_sub_type: { value: "PATRON_PHYSICAL", desc: "Patron physical item request" },
  pickup_location_type: "LIBRARY",
  pickup_location_library: library,
  task_name: "Remote Storage Request",
});

/** The member item with this barcode (of the default fixture). */
function memberItem(member: FixtureInstitution, barcode: string) {
  const found = member.items?.find((candidate) => candidate.item_data.barcode === barcode);
  if (!found) throw new Error(`the default fixture has no item ${barcode} in ${member.code}`);
  return found;
}

function extendAb(ab: FixtureInstitution): void {
  // Moved to another shelf today: the reason it is in this morning's publishing file.
  memberItem(ab, BARCODES.abOnLoan).item_data.internal_note_2 = "Shelf A-14";
  (ab.items ??= []).push({
    pid: item(5, AB),
    mms_id: MEMBER_BIBS.abOrigin,
    holding_id: holding(1, AB),
    item_data: {
      barcode: BARCODES.abOnShelf,
      description: "c.3",
      physical_material_type: { value: "BOOK", desc: "Book" },
      policy: { value: "09", desc: "Remote storage" },
    },
  });
  (ab.requests ??= []).push(
    {
      request_id: REQUESTS.abItemHold,
      user_primary_id: PATRONS.ab.primaryId,
      request_type: "HOLD",
      mms_id: MEMBER_BIBS.abOrigin,
      item_id: item(5, AB),
      holding_id: holding(1, AB),
      comment: "For a seminar on Tuesday",
      fields: physicalHold("ABMAIN"),
    },
    {
      request_id: REQUESTS.abTitleHold,
      user_primary_id: PATRONS.ab.primaryId,
      request_type: "HOLD",
      mms_id: MEMBER_BIBS.abOrigin,
      comment: "Any copy",
      fields: { ...physicalHold("ABMAIN"), description: "any copy" },
    },
    {
      request_id: REQUESTS.abDigitization,
      user_primary_id: PATRONS.ab.primaryId,
      request_type: "DIGITIZATION",
      mms_id: MEMBER_BIBS.abMinutes,
      item_id: item(4, AB),
      holding_id: holding(3, AB),
      fields: {
        request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION", desc: "Patron digitization request" },
        copyrights_declaration_signed_by_patron: true,
        partial_digitization: true,
        required_pages_range: [{ from_page: "10", to_page: "24" }],
        chapter_or_article_title: "Minutes of 1902",
        description: "Box 1",
      },
    },
  );
}

function extendCd(cd: FixtureInstitution): void {
  memberItem(cd, BARCODES.cdOnShelf).item_data.internal_note_2 = "Tray 0117";
  (cd.requests ??= []).push({
    request_id: REQUESTS.cdItemHold,
    user_primary_id: PATRONS.cd.primaryId,
    request_type: "HOLD",
    mms_id: MEMBER_BIBS.cdOrigin,
    item_id: item(1, CD),
    holding_id: holding(1, CD),
    fields: physicalHold("CDMAIN"),
  });
}
