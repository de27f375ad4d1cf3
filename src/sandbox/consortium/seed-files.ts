import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { NZ_IDS } from "../alma/index.js";
import { SEED_ALMA_BARCODES } from "../aspace/index.js";
import { AB, BARCODES, CD, MEMBER_BIBS, PATRONS, REQUESTS } from "./fixture.js";
import { writePublishingFile } from "./publishing-file.js";
import { requestExportXml } from "./request-export.js";

/** `ftp_server.main_folder` of the sandbox. */
export const MAIN_FOLDER = "/alma";
/** Where aspace2alma finds the Analytics barcode report and puts its output. */
export const ASPACE_FOLDER = "/alma/aspace";
export const BARCODE_REPORT = "sc_active_barcodes.csv";
export const ASPACE_OUTPUT = "MARC_out.xml";

/** What waits on the file server when the sandbox starts, by remote path. */
export interface SeededFiles {
  publishing: Record<string, string[]>;
  requests: Record<string, string[]>;
  barcodeReport: string;
  previousAspaceOutput: string;
}

const ORIGIN = { nzId: NZ_IDS.originOfSpecies, title: "On the origin of species", author: "Darwin, Charles" };

/**
 * Puts a morning's work on the file server (served from `root`): the members' publishing files (creates,
 * updates, an item leaving remote storage, a `_delete` file), their request exports (an item hold, a title-level
 * hold, a digitization), the Analytics barcode report, and yesterday's aspace2alma output.
 */
export async function seedFileServer(root: string): Promise<SeededFiles> {
  const local = (remote: string) => path.join(root, ...remote.split("/").filter(Boolean));
  const items = (code: string) => `${MAIN_FOLDER}/${code}/items`;
  const requests = (code: string) => `${MAIN_FOLDER}/${code}/requests`;
  const seeded: SeededFiles = {
    publishing: { [AB]: [], [CD]: [] },
    requests: { [AB]: [], [CD]: [] },
    barcodeReport: `${ASPACE_FOLDER}/${BARCODE_REPORT}`,
    previousAspaceOutput: `${ASPACE_FOLDER}/${ASPACE_OUTPUT}`,
  };
  const publish = async (code: string, name: string, titles: Parameters<typeof writePublishingFile>[2]) => {
    await writePublishingFile(local(items(code)), name, titles);
    seeded.publishing[code]!.push(`${items(code)}/${name}`);
  };
  const exportRequests = async (code: string, name: string, xml: string) => {
    await mkdir(local(requests(code)), { recursive: true });
    await writeFile(path.join(local(requests(code)), name), xml);
    seeded.requests[code]!.push(`${requests(code)}/${name}`);
  };

  await publish(AB, "rs_items_20240115_051500_new.tar.gz", [
    {
      ...ORIGIN,
      mmsId: MEMBER_BIBS.abOrigin,
      items: [
        { barcode: BARCODES.abOnLoan, library: "ABRS", location: "rs", note: "Shelf A-14" },
        { barcode: BARCODES.abNew, library: "ABRS", location: "rs" },
      ],
    },
    {
      mmsId: MEMBER_BIBS.abMinutes,
      title: "Minutes of the Board of Trustees, 1890-1910",
      items: [{ barcode: BARCODES.abMinutes, library: "ABRS", location: "rs_annex", note: "Box 1" }],
    },
    {
      mmsId: MEMBER_BIBS.abLeaves,
      nzId: NZ_IDS.leavesOfGrass,
      title: "Leaves of grass",
      author: "Whitman, Walt",
      items: [{ barcode: BARCODES.abLeft, library: "ABMAIN", location: "stacks" }],
    },
  ]);
  await publish(CD, "rs_items_20240115_054500_new.tar.gz", [
    {
      ...ORIGIN,
      mmsId: MEMBER_BIBS.cdOrigin,
      items: [{ barcode: BARCODES.cdOnShelf, library: "CDRS", location: "rs" }],
    },
    {
      mmsId: MEMBER_BIBS.cdMiddlemarch,
      nzId: NZ_IDS.middlemarch,
      title: "Middlemarch",
      author: "Eliot, George",
      items: [{ barcode: BARCODES.cdNew, library: "CDRS", location: "rs" }],
    },
  ]);
  await publish(CD, "rs_items_20240115_054500_delete.tar.gz", [
    {
      ...ORIGIN,
      mmsId: MEMBER_BIBS.cdOrigin,
      items: [{ barcode: BARCODES.cdWithdrawn, library: "CDRS", location: "rs" }],
    },
  ]);

  const abPatron = {
    name: PATRONS.ab.name,
    identifier: PATRONS.ab.barcode,
    email: PATRONS.ab.email,
    address: PATRONS.ab.address,
  };
  const abPickup = { institutionCode: AB, pickupLibrary: "AB Remote Storage", libraryCode: "ABRS" };
  await exportRequests(
    AB,
    "rs_requests_20240115_081000.xml",
    requestExportXml([
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.abItemHold,
        barcode: BARCODES.abOnShelf,
        mmsId: MEMBER_BIBS.abOrigin,
        description: "c.3",
        ...abPickup,
        patron: abPatron,
        requestNote: "For a seminar on Tuesday",
      },
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.abTitleHold,
        mmsId: MEMBER_BIBS.abOrigin,
        description: "any copy",
        ...abPickup,
        patron: abPatron,
      },
      {
        requestType: "PHYSICAL_TO_DIGITIZATION",
        requestId: REQUESTS.abDigitization,
        barcode: BARCODES.abMinutes,
        mmsId: MEMBER_BIBS.abMinutes,
        description: "Box 1",
        ...abPickup,
        patron: abPatron,
        requestNote: "Pages 10-24 only",
      },
    ]),
  );
  await exportRequests(
    CD,
    "rs_requests_20240115_082000.xml",
    requestExportXml([
      {
        requestType: "PATRON_PHYSICAL",
        requestId: REQUESTS.cdItemHold,
        barcode: BARCODES.cdOnShelf,
        mmsId: MEMBER_BIBS.cdOrigin,
        institutionCode: CD,
        pickupLibrary: "CD Remote Storage",
        libraryCode: "CDRS",
        patron: {
          name: PATRONS.cd.name,
          identifier: PATRONS.cd.barcode,
          email: PATRONS.cd.email,
          address: PATRONS.cd.address,
        },
      },
    ]),
  );

  // The Analytics report as Alma writes it: UTF-8 BOM, CRLF, a Barcode header.
  await mkdir(local(ASPACE_FOLDER), { recursive: true });
  await writeFile(
    local(seeded.barcodeReport),
    "\uFEFFBarcode\r\n" + SEED_ALMA_BARCODES.map((barcode) => `${barcode}\r\n`).join(""),
  );
  await writeFile(
    local(seeded.previousAspaceOutput),
    "<collection><!-- yesterday's export --></collection>\n",
  );
  return seeded;
}
