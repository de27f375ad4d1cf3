import { formatId, IdPrefix, type AlmaFixture, type UserRecord } from "../../src/sandbox/alma/index.js";
import type { ExportFields } from "./world.js";

/**
 * The consortium the send-requests tests play against: the SCF `01AAA_RS` and the members `01AAA_AB` (which
 * exports the requests) and `01AAA_CD` (a pickup institution). One member record per route of seed 001 §7.3.
 */
const AB = "0001";
const CD = "0002";
const RS = "0003";
const NZ = "4441";

const bib = (n: number, suffix: string) => formatId(IdPrefix.bib, n, suffix);
const holding = (n: number, suffix: string) => formatId(IdPrefix.holding, n, suffix);
const item = (n: number, suffix: string) => formatId(IdPrefix.item, n, suffix);
const request = (n: number) => formatId(IdPrefix.request, n, AB);
const nz = (n: number) => `(EXLNZ-01AAA_NETWORK)${bib(n, NZ)}`;

export const SCF = "01AAA_RS";
export const MEMBER = "01AAA_AB";
export const OTHER_MEMBER = "01AAA_CD";

export const BARCODES = {
  /** In the SCF, not on loan. */
  available: "31234000123456",
  /** In the SCF, on loan to the system user. */
  onLoan: "31234000123457",
  /** Of the "Leaves of grass" bib, attached to two SCF holdings. */
  leaves: "31234000223344",
  /** Of a local bib the SCF knows by its other system id. */
  archive: "31234000334455",
  /** A member item the SCF has never heard of. */
  unknown: "31234000999999",
} as const;

export const MEMBER_BIBS = { origin: bib(1, AB), leaves: bib(2, AB), archive: bib(3, AB) } as const;
export const SCF_BIBS = { origin: bib(1, RS), leaves: bib(2, RS), archive: bib(3, RS) } as const;
export const SCF_HOLDINGS = {
  origin: holding(1, RS),
  leavesShared: holding(2, RS),
  leavesAnnex: holding(3, RS),
};
export const SCF_ITEMS = {
  available: item(1, RS),
  onLoan: item(2, RS),
  leaves: item(3, RS),
  archive: item(4, RS),
} as const;
export const MEMBER_ITEMS = {
  available: item(1, AB),
  onLoan: item(2, AB),
  leaves: item(3, AB),
  archive: item(4, AB),
  unknown: item(5, AB),
} as const;

/** The member's requests, one per route; the exports in the tests name them. */
export const REQUESTS = {
  itemHold: request(1),
  onLoan: request(2),
  titleHold: request(3),
  patronItemDigitization: request(4),
  patronTitleDigitization: request(5),
  staffDigitization: request(6),
  resourceSharing: request(7),
  noBarcode: request(8),
  unknownBarcode: request(9),
  pickupByName: request(10),
  secondPatronDigitization: request(11),
  staffTitleDigitization: request(12),
} as const;

export const PATRON = {
  primaryId: "ab-jdoe",
  barcode: "21234000111111",
  linkingId: formatId(IdPrefix.linking, 1, AB),
  name: "Doe, Jane",
  email: "ab-jdoe@example.edu",
  address: "12 College Street, Springfield",
};

/** The member's export of one request of each route, each on an SCF item or bib of its own. */
export const EXPORTS = {
  itemHold: {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.itemHold,
    barcode: BARCODES.available,
    mmsId: MEMBER_BIBS.origin,
    libraryCode: "ABRS",
  },
  /** An item hold on the SCF's copy that is out on loan. */
  onLoanHold: {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.onLoan,
    barcode: BARCODES.onLoan,
    mmsId: MEMBER_BIBS.origin,
    libraryCode: "ABRS",
  },
  titleHold: {
    requestType: "PATRON_PHYSICAL",
    requestId: REQUESTS.titleHold,
    barcode: "v.2 : 1856",
    mmsId: MEMBER_BIBS.leaves,
    libraryCode: "ABRS",
    patronIdentifier: PATRON.barcode,
  },
  patronItemDigitization: {
    requestType: "PHYSICAL_TO_DIGITIZATION",
    requestId: REQUESTS.patronItemDigitization,
    barcode: BARCODES.archive,
    mmsId: MEMBER_BIBS.archive,
    patronIdentifier: PATRON.barcode,
  },
  patronTitleDigitization: {
    requestType: "PHYSICAL_TO_DIGITIZATION",
    requestId: REQUESTS.patronTitleDigitization,
    barcode: "ch. 3",
    mmsId: MEMBER_BIBS.origin,
    patronIdentifier: PATRON.barcode,
  },
  staffDigitization: {
    requestType: "STAFF_PHYSICAL_DIGITIZATION",
    requestId: REQUESTS.staffDigitization,
    barcode: BARCODES.available,
    mmsId: MEMBER_BIBS.origin,
    libraryCode: "ABRS",
  },
  staffTitleDigitization: {
    requestType: "STAFF_PHYSICAL_DIGITIZATION",
    requestId: REQUESTS.staffTitleDigitization,
    mmsId: MEMBER_BIBS.archive,
    libraryCode: "ABRS",
  },
} satisfies Record<string, ExportFields>;

function systemUser(primaryId: string): UserRecord {
  return {
    primary_id: primaryId,
    first_name: "Remote Storage",
    last_name: primaryId,
    account_type: { value: "INTERNAL", desc: "Internal" },
    contact_info: {
      address: [
        { preferred: true, address_type: [{ value: "home", desc: "Home" }], line1: "Loading Dock 2" },
      ],
    },
  };
}

function patron(primaryId: string, barcode: string, linkingId: string): UserRecord {
  return {
    primary_id: primaryId,
    first_name: "Jane",
    last_name: "Doe",
    account_type: { value: "INTERNAL", desc: "Internal" },
    user_identifier: [{ id_type: { value: "BARCODE", desc: "Barcode" }, value: barcode }],
    contact_info: {
      address: [
        { preferred: true, address_type: [{ value: "home", desc: "Home" }], line1: "12 College Street" },
      ],
      email: [{ email_address: `${primaryId}@example.edu`, preferred: true }],
    },
    linking_id: linkingId,
  };
}

const digitizationFields = {
  request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION", desc: "Patron digitization request" },
  copyrights_declaration_signed_by_patron: true,
  partial_digitization: true,
  required_pages_range: [{ from_page: "10", to_page: "24" }],
  chapter_or_article_title: "Chapter 3",
  chapter_or_article_author: "Darwin",
  last_interest_date: "2099-01-31Z",
};

export function consortiumFixture(): AlmaFixture {
  return {
    network_zone: { code: "01AAA_NETWORK", id_suffix: NZ },
    institutions: [
      {
        code: SCF,
        apikey: "sim-scf-key-0000000000000003",
        id_suffix: RS,
        libraries: [
          {
            code: "RS",
            name: "Remote Storage Facility",
            locations: [
              { code: "rs_shared", name: "Shared Collection", type: "REMOTE" },
              { code: "rs_annex", name: "Annex", type: "REMOTE" },
            ],
          },
        ],
        users: [
          systemUser("01AAA_AB-ABRS"),
          systemUser("01AAA_AB-ABMAIN"),
          systemUser("01AAA_CD-CDRS"),
          systemUser("01AAA_CD-CDMAIN"),
        ],
        bibs: [
          { mms_id: SCF_BIBS.origin, title: "On the origin of species", network_number: [nz(1)] },
          { mms_id: SCF_BIBS.leaves, title: "Leaves of grass", network_number: [nz(2)] },
          {
            mms_id: SCF_BIBS.archive,
            title: "Minutes of the Board of Trustees",
            network_number: [`(${MEMBER})${MEMBER_BIBS.archive}`],
          },
        ],
        holdings: [
          { holding_id: SCF_HOLDINGS.origin, mms_id: SCF_BIBS.origin, library: "RS", location: "rs_shared" },
          {
            holding_id: SCF_HOLDINGS.leavesAnnex,
            mms_id: SCF_BIBS.leaves,
            library: "RS",
            location: "rs_annex",
          },
          {
            holding_id: SCF_HOLDINGS.leavesShared,
            mms_id: SCF_BIBS.leaves,
            library: "RS",
            location: "rs_shared",
          },
          { holding_id: holding(4, RS), mms_id: SCF_BIBS.archive, library: "RS", location: "rs_shared" },
        ],
        items: [
          scfItem(SCF_ITEMS.available, SCF_BIBS.origin, SCF_HOLDINGS.origin, BARCODES.available),
          scfItem(SCF_ITEMS.onLoan, SCF_BIBS.origin, SCF_HOLDINGS.origin, BARCODES.onLoan),
          scfItem(SCF_ITEMS.leaves, SCF_BIBS.leaves, SCF_HOLDINGS.leavesShared, BARCODES.leaves),
          scfItem(SCF_ITEMS.archive, SCF_BIBS.archive, holding(4, RS), BARCODES.archive),
        ],
        loans: [
          {
            loan_id: formatId(IdPrefix.loan, 1, RS),
            user_id: "01AAA_AB-ABRS",
            item_id: SCF_ITEMS.onLoan,
            mms_id: SCF_BIBS.origin,
            holding_id: SCF_HOLDINGS.origin,
            library: "RS",
            circ_desk: "DEFAULT_CIRC_DESK",
          },
        ],
      },
      {
        code: MEMBER,
        apikey: "sim-ab-key-00000000000000001",
        id_suffix: AB,
        libraries: [
          { code: "ABMAIN", name: "AB Main Library", locations: [{ code: "stacks", name: "Main Stacks" }] },
          {
            code: "ABRS",
            name: "AB Remote Storage",
            locations: [{ code: "rs", name: "Remote Storage", type: "REMOTE" }],
          },
        ],
        users: [patron(PATRON.primaryId, PATRON.barcode, PATRON.linkingId), systemUser("ab-staff")],
        bibs: [
          { mms_id: MEMBER_BIBS.origin, title: "On the origin of species", network_number: [nz(1)] },
          { mms_id: MEMBER_BIBS.leaves, title: "Leaves of grass", network_number: [nz(2)] },
          { mms_id: MEMBER_BIBS.archive, title: "Minutes of the Board of Trustees", network_number: [] },
        ],
        holdings: [
          { holding_id: holding(1, AB), mms_id: MEMBER_BIBS.origin, library: "ABRS", location: "rs" },
          { holding_id: holding(2, AB), mms_id: MEMBER_BIBS.leaves, library: "ABRS", location: "rs" },
          { holding_id: holding(3, AB), mms_id: MEMBER_BIBS.archive, library: "ABRS", location: "rs" },
        ],
        items: [
          memberItem(MEMBER_ITEMS.available, MEMBER_BIBS.origin, holding(1, AB), BARCODES.available),
          memberItem(MEMBER_ITEMS.onLoan, MEMBER_BIBS.origin, holding(1, AB), BARCODES.onLoan),
          memberItem(MEMBER_ITEMS.leaves, MEMBER_BIBS.leaves, holding(2, AB), BARCODES.leaves),
          memberItem(MEMBER_ITEMS.archive, MEMBER_BIBS.archive, holding(3, AB), BARCODES.archive),
          memberItem(MEMBER_ITEMS.unknown, MEMBER_BIBS.origin, holding(1, AB), BARCODES.unknown),
        ],
        requests: [
          itemRequest(REQUESTS.itemHold, "available", { comment: "Please handle with care" }),
          itemRequest(REQUESTS.onLoan, "onLoan"),
          {
            request_id: REQUESTS.titleHold,
            user_primary_id: PATRON.primaryId,
            request_type: "HOLD",
            mms_id: MEMBER_BIBS.leaves,
            comment: "Second volume only",
            fields: {
              request_sub_type: { value: "PATRON_PHYSICAL" },
              manual_description: "v.2 1856",
              volume: "2",
              date_of_publication: "1856",
              issue: null,
            },
          },
          {
            ...itemRequest(REQUESTS.patronItemDigitization, "archive"),
            request_type: "DIGITIZATION",
            fields: { ...digitizationFields, description: "Box 1" },
          },
          {
            request_id: REQUESTS.patronTitleDigitization,
            user_primary_id: PATRON.primaryId,
            request_type: "DIGITIZATION",
            mms_id: MEMBER_BIBS.origin,
            fields: digitizationFields,
          },
          {
            ...itemRequest(REQUESTS.staffDigitization, "available"),
            user_primary_id: "ab-staff",
            request_type: "DIGITIZATION",
            fields: {
              request_sub_type: { value: "STAFF_PHYSICAL_DIGITIZATION" },
              required_pages_range: "1-5",
            },
          },
          {
            request_id: REQUESTS.noBarcode,
            user_primary_id: PATRON.primaryId,
            request_type: "HOLD",
            mms_id: MEMBER_BIBS.origin,
            fields: { request_sub_type: { value: "PATRON_PHYSICAL" } },
          },
          itemRequest(REQUESTS.unknownBarcode, "unknown"),
          itemRequest(REQUESTS.pickupByName, "available"),
          {
            ...itemRequest(REQUESTS.secondPatronDigitization, "available"),
            request_type: "DIGITIZATION",
            fields: digitizationFields,
          },
          {
            request_id: REQUESTS.staffTitleDigitization,
            user_primary_id: "ab-staff",
            request_type: "DIGITIZATION",
            mms_id: MEMBER_BIBS.archive,
            fields: { request_sub_type: { value: "STAFF_PHYSICAL_DIGITIZATION" } },
          },
        ],
      },
      {
        code: OTHER_MEMBER,
        apikey: "sim-cd-key-00000000000000002",
        id_suffix: CD,
        libraries: [
          { code: "CDMAIN", name: "CD Central Library", locations: [{ code: "gen", name: "General" }] },
          { code: "CDRS", name: "CD Remote Storage", locations: [{ code: "rs", name: "Remote Storage" }] },
        ],
      },
    ],
  };
}

function scfItem(pid: string, mmsId: string, holdingId: string, barcode: string) {
  return {
    pid,
    mms_id: mmsId,
    holding_id: holdingId,
    item_data: { barcode: `${barcode}X`, provenance: { value: MEMBER } },
  };
}

function memberItem(pid: string, mmsId: string, holdingId: string, barcode: string) {
  return { pid, mms_id: mmsId, holding_id: holdingId, item_data: { barcode } };
}

function itemRequest(requestId: string, which: keyof typeof MEMBER_ITEMS, extra: { comment?: string } = {}) {
  const pid = MEMBER_ITEMS[which];
  const bibOf: Record<keyof typeof MEMBER_ITEMS, string> = {
    available: MEMBER_BIBS.origin,
    onLoan: MEMBER_BIBS.origin,
    leaves: MEMBER_BIBS.leaves,
    archive: MEMBER_BIBS.archive,
    unknown: MEMBER_BIBS.origin,
  };
  const holdingOf: Record<keyof typeof MEMBER_ITEMS, string> = {
    available: holding(1, AB),
    onLoan: holding(1, AB),
    leaves: holding(2, AB),
    archive: holding(3, AB),
    unknown: holding(1, AB),
  };
  return {
    request_id: requestId,
    user_primary_id: PATRON.primaryId,
    request_type: "HOLD",
    mms_id: bibOf[which],
    item_id: pid,
    holding_id: holdingOf[which],
    ...extra,
    fields: { request_sub_type: { value: "PATRON_PHYSICAL" } },
  };
}
