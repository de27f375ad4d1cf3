import type { AlmaFixture } from "./fixture.js";
import { formatId, IdPrefix } from "./ids.js";
import type { UserRecord } from "./types.js";

/**
 * A small consortium: the SCF `01AAA_RS` and two members, `01AAA_AB` and `01AAA_CD`, with the codes used by
 * `conf.example.json`. Ids end in the institution's suffix: AB 0001, CD 0002, RS 0003, Network Zone 4441.
 */
const AB = "0001";
const CD = "0002";
const RS = "0003";
const NZ = "4441";

const bibId = (n: number, suffix: string): string => formatId(IdPrefix.bib, n, suffix);
const holdingId = (n: number, suffix: string): string => formatId(IdPrefix.holding, n, suffix);
const itemId = (n: number, suffix: string): string => formatId(IdPrefix.item, n, suffix);

/** Network Zone ids of the shared titles. */
export const NZ_IDS = {
  originOfSpecies: bibId(1, NZ),
  leavesOfGrass: bibId(2, NZ),
  middlemarch: bibId(3, NZ),
  walden: bibId(4, NZ),
} as const;

const nzNumber = (id: string): string => `(EXLNZ-01AAA_NETWORK)${id}`;

/** API keys of the default institutions (sandbox values, not secrets). */
export const DEFAULT_API_KEYS = {
  "01AAA_RS": "l7xx-sandbox-scf-0000000000000000003",
  "01AAA_AB": "l7xx-sandbox-ab-00000000000000000001",
  "01AAA_CD": "l7xx-sandbox-cd-00000000000000000002",
} as const;

function systemUser(primaryId: string, libraryName: string): UserRecord {
  return {
    primary_id: primaryId,
    first_name: "Remote Storage",
    last_name: libraryName,
    full_name: `Remote Storage ${libraryName}`,
    user_group: { value: "STAFF", desc: "Staff" },
    account_type: { value: "INTERNAL", desc: "Internal" },
    status: { value: "ACTIVE", desc: "Active" },
    contact_info: {
      address: [
        {
          preferred: true,
          address_type: [{ value: "home", desc: "Home" }],
          line1: `${libraryName}, Loading Dock 2`,
          city: "Springfield",
          postal_code: "12345",
          country: { value: "USA", desc: "United States" },
        },
      ],
      email: [{ email_address: "remote-storage@example.edu", preferred: true }],
    },
  };
}

function patron(
  primaryId: string,
  first: string,
  last: string,
  barcode: string,
  linkingId: string,
): UserRecord {
  return {
    primary_id: primaryId,
    first_name: first,
    last_name: last,
    full_name: `${first} ${last}`,
    user_group: { value: "UNDERGRAD", desc: "Undergraduate" },
    account_type: { value: "INTERNAL", desc: "Internal" },
    status: { value: "ACTIVE", desc: "Active" },
    user_identifier: [{ id_type: { value: "BARCODE", desc: "Barcode" }, value: barcode }],
    contact_info: {
      address: [
        {
          preferred: true,
          address_type: [{ value: "home", desc: "Home" }],
          line1: "12 College Street",
          city: "Springfield",
          postal_code: "12345",
        },
      ],
      email: [{ email_address: `${primaryId}@example.edu`, preferred: true }],
    },
    linking_id: linkingId,
  };
}

export const defaultFixture: AlmaFixture = {
  network_zone: {
    code: "01AAA_NETWORK",
    id_suffix: NZ,
    bibs: [
      {
        mms_id: NZ_IDS.originOfSpecies,
        title: "On the origin of species",
        author: "Darwin, Charles",
        network_number: ["(OCoLC)1234567"],
      },
      {
        mms_id: NZ_IDS.leavesOfGrass,
        title: "Leaves of grass",
        author: "Whitman, Walt",
        network_number: ["(OCoLC)2345678"],
      },
      {
        mms_id: NZ_IDS.middlemarch,
        title: "Middlemarch",
        author: "Eliot, George",
        network_number: ["(OCoLC)3456789"],
      },
      {
        mms_id: NZ_IDS.walden,
        title: "Walden, or, Life in the woods",
        author: "Thoreau, Henry David",
        network_number: ["(OCoLC)4567890"],
      },
    ],
  },
  institutions: [
    {
      code: "01AAA_RS",
      apikey: DEFAULT_API_KEYS["01AAA_RS"],
      id_suffix: RS,
      libraries: [
        {
          code: "RS",
          name: "Remote Storage Facility",
          locations: [
            { code: "rs_shared", name: "Shared Collection", type: "REMOTE" },
            { code: "rs_annex", name: "Annex", type: "REMOTE" },
          ],
          circ_desks: ["DEFAULT_CIRC_DESK"],
        },
      ],
      users: [
        systemUser("01AAA_AB-ABRS", "AB Remote Storage"),
        systemUser("01AAA_CD-CDRS", "CD Remote Storage"),
      ],
      bibs: [
        {
          mms_id: bibId(1, RS),
          title: "On the origin of species",
          author: "Darwin, Charles",
          network_number: [nzNumber(NZ_IDS.originOfSpecies), "(OCoLC)1234567"],
        },
      ],
      holdings: [
        { holding_id: holdingId(1, RS), mms_id: bibId(1, RS), library: "RS", location: "rs_shared" },
      ],
      items: [
        {
          pid: itemId(1, RS),
          mms_id: bibId(1, RS),
          holding_id: holdingId(1, RS),
          item_data: {
            barcode: "31234000123456X",
            provenance: { value: "01AAA_AB", desc: "AB University" },
            physical_material_type: { value: "BOOK", desc: "Book" },
            policy: { value: "", desc: "" },
            internal_note_2: "Shelf A-12",
            alternative_call_number: "RS-000123",
            storage_location_id: "TRAY-0042",
          },
        },
      ],
      loans: [
        {
          loan_id: formatId(IdPrefix.loan, 1, RS),
          user_id: "01AAA_AB-ABRS",
          item_id: itemId(1, RS),
          mms_id: bibId(1, RS),
          holding_id: holdingId(1, RS),
          library: "RS",
          circ_desk: "DEFAULT_CIRC_DESK",
        },
      ],
    },
    {
      code: "01AAA_AB",
      apikey: DEFAULT_API_KEYS["01AAA_AB"],
      id_suffix: AB,
      libraries: [
        {
          code: "ABMAIN",
          name: "AB Main Library",
          locations: [
            { code: "stacks", name: "Main Stacks" },
            { code: "ref", name: "Reference" },
          ],
          circ_desks: ["DEFAULT_CIRC_DESK"],
        },
        {
          code: "ABRS",
          name: "AB Remote Storage",
          locations: [
            { code: "rs", name: "Remote Storage", type: "REMOTE" },
            { code: "rs_annex", name: "Remote Storage Annex", type: "REMOTE" },
          ],
          circ_desks: ["DEFAULT_CIRC_DESK"],
        },
      ],
      users: [patron("ab-jdoe", "Jane", "Doe", "21234000111111", formatId(IdPrefix.linking, 1, AB))],
      bibs: [
        {
          mms_id: bibId(1, AB),
          title: "On the origin of species",
          author: "Darwin, Charles",
          network_number: [nzNumber(NZ_IDS.originOfSpecies), "(OCoLC)1234567"],
        },
        {
          mms_id: bibId(2, AB),
          title: "Leaves of grass",
          author: "Whitman, Walt",
          network_number: [nzNumber(NZ_IDS.leavesOfGrass), "(OCoLC)2345678"],
        },
        {
          mms_id: bibId(3, AB),
          title: "Minutes of the Board of Trustees, 1890-1910",
          network_number: ["(AB-ARCHIVES)MS-0042"],
        },
      ],
      holdings: [
        {
          holding_id: holdingId(1, AB),
          mms_id: bibId(1, AB),
          library: "ABRS",
          location: "rs",
          call_number: "QH365 .O2 1859",
        },
        {
          holding_id: holdingId(2, AB),
          mms_id: bibId(2, AB),
          library: "ABMAIN",
          location: "stacks",
          call_number: "PS3201 1855",
        },
        { holding_id: holdingId(3, AB), mms_id: bibId(3, AB), library: "ABRS", location: "rs_annex" },
      ],
      items: [
        {
          pid: itemId(1, AB),
          mms_id: bibId(1, AB),
          holding_id: holdingId(1, AB),
          item_data: {
            barcode: "31234000123456",
            physical_material_type: { value: "BOOK", desc: "Book" },
            policy: { value: "09", desc: "Remote storage" },
            internal_note_2: "Shelf A-12",
          },
        },
        {
          pid: itemId(2, AB),
          mms_id: bibId(1, AB),
          holding_id: holdingId(1, AB),
          item_data: {
            barcode: "31234000123457",
            description: "c.2",
            physical_material_type: { value: "BOOK", desc: "Book" },
            policy: { value: "09", desc: "Remote storage" },
          },
        },
        {
          pid: itemId(3, AB),
          mms_id: bibId(2, AB),
          holding_id: holdingId(2, AB),
          item_data: { barcode: "31234000223344", physical_material_type: { value: "BOOK", desc: "Book" } },
        },
        {
          pid: itemId(4, AB),
          mms_id: bibId(3, AB),
          holding_id: holdingId(3, AB),
          item_data: {
            barcode: "31234000334455",
            description: "Box 1",
            physical_material_type: { value: "MANUSCRIPT", desc: "Manuscript" },
          },
        },
      ],
      requests: [
        {
          request_id: formatId(IdPrefix.request, 1, AB),
          user_primary_id: "ab-jdoe",
          request_type: "HOLD",
          mms_id: bibId(1, AB),
          item_id: itemId(1, AB),
          holding_id: holdingId(1, AB),
          comment: "Please handle with care",
          request_status: "IN_PROCESS",
          fields: {
            request_sub_type: { value: "PATRON_PHYSICAL", desc: "Patron physical item request" },
            pickup_location_type: "LIBRARY",
            pickup_location_library: "ABMAIN",
            task_name: "Remote Storage Request",
          },
        },
      ],
      sets: [
        {
          id: "1234567890001",
          name: "Items in remote storage",
          content: "ITEM",
          members: [
            { id: itemId(1, AB), description: "On the origin of species" },
            { id: itemId(2, AB), description: "On the origin of species c.2" },
            { id: itemId(4, AB), description: "Minutes of the Board of Trustees, 1890-1910 Box 1" },
          ],
        },
      ],
      jobs: [
        {
          id: "S987654321",
          name: "Publish remote storage items",
          type: "SCHEDULED",
          category: "PUBLISHING",
          profile_id: "5001230001",
        },
        {
          id: "S123456789",
          name: "Remote storage requests export",
          type: "SCHEDULED",
          category: "FULFILLMENT",
          profile_id: "5001240001",
        },
      ],
      integration_profiles: [
        {
          id: "5001240001",
          code: "SCF_REMOTE_STORAGE",
          type: "REMOTE_STORAGE",
          description: "Shared Collection Facility",
        },
      ],
    },
    {
      code: "01AAA_CD",
      apikey: DEFAULT_API_KEYS["01AAA_CD"],
      id_suffix: CD,
      libraries: [
        {
          code: "CDMAIN",
          name: "CD Central Library",
          locations: [{ code: "gen", name: "General Collection" }],
        },
        {
          code: "CDRS",
          name: "CD Remote Storage",
          locations: [{ code: "rs", name: "Remote Storage", type: "REMOTE" }],
        },
      ],
      users: [patron("cd-asmith", "Alex", "Smith", "22345000222222", formatId(IdPrefix.linking, 1, CD))],
      bibs: [
        {
          mms_id: bibId(1, CD),
          title: "On the origin of species",
          author: "Darwin, Charles",
          network_number: [nzNumber(NZ_IDS.originOfSpecies), "(OCoLC)1234567"],
        },
        {
          mms_id: bibId(2, CD),
          title: "Middlemarch",
          author: "Eliot, George",
          network_number: [nzNumber(NZ_IDS.middlemarch), "(OCoLC)3456789"],
        },
      ],
      holdings: [
        { holding_id: holdingId(1, CD), mms_id: bibId(1, CD), library: "CDRS", location: "rs" },
        { holding_id: holdingId(2, CD), mms_id: bibId(2, CD), library: "CDRS", location: "rs" },
      ],
      items: [
        {
          pid: itemId(1, CD),
          mms_id: bibId(1, CD),
          holding_id: holdingId(1, CD),
          item_data: { barcode: "32345000111111", physical_material_type: { value: "BOOK", desc: "Book" } },
        },
        {
          pid: itemId(2, CD),
          mms_id: bibId(2, CD),
          holding_id: holdingId(2, CD),
          item_data: { barcode: "32345000222222", physical_material_type: { value: "BOOK", desc: "Book" } },
        },
      ],
      jobs: [
        {
          id: "S987654322",
          name: "Publish remote storage items",
          type: "SCHEDULED",
          category: "PUBLISHING",
          profile_id: "5001230002",
        },
        {
          id: "S123456790",
          name: "Remote storage requests export",
          type: "SCHEDULED",
          category: "FULFILLMENT",
          profile_id: "5001240002",
        },
      ],
      integration_profiles: [
        {
          id: "5001240002",
          code: "SCF_REMOTE_STORAGE",
          type: "REMOTE_STORAGE",
          description: "Shared Collection Facility",
        },
      ],
    },
  ],
};
