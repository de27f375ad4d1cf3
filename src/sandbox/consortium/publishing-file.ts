import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tar from "tar";
import { controlField, createRecord, dataField, type MarcRecord } from "../../marc/record.js";
import { COLLECTION_END, COLLECTION_START, recordToXml } from "../../marc/writer.js";

/** One item of a published record: the `ITM` field Alma's publishing profile adds (b, c, l, n). */
export interface PublishedItem {
  barcode: string;
  library: string;
  location: string;
  /** Internal note 2. */
  note?: string;
}

export interface PublishedTitle {
  mmsId: string;
  /** The Network Zone id (written as `035 $a (EXLNZ-01AAA_NETWORK)id`); none for a local record. */
  nzId?: string;
  title: string;
  author?: string;
  items: PublishedItem[];
}

/** A record as Alma's items publishing profile writes it: 001, 035 (NZ), 100, 245, one ITM per item. */
export function publishingRecord(title: PublishedTitle): MarcRecord {
  return createRecord("00000nam a2200000 a 4500", [
    controlField("001", title.mmsId),
    ...(title.nzId ? [dataField("035", " ", " ", [["a", `(EXLNZ-01AAA_NETWORK)${title.nzId}`]])] : []),
    ...(title.author ? [dataField("100", "1", " ", [["a", title.author]])] : []),
    dataField("245", "1", "0", [["a", title.title]]),
    ...title.items.map((item) =>
      dataField("ITM", " ", " ", [
        ["b", item.barcode],
        ["c", item.library],
        ["l", item.location],
        ...(item.note ? ([["n", item.note]] as const) : []),
      ]),
    ),
  ]);
}

/** A MARC-XML `<collection>` of records. */
export function collectionXml(records: readonly MarcRecord[]): string {
  return `${COLLECTION_START}\n${records.map((record) => recordToXml(record)).join("\n")}\n${COLLECTION_END}\n`;
}

/**
 * Writes `<dir>/<name>` (`…_new.tar.gz`, `…_delete.tar.gz`) holding one MARC-XML entry named like the archive,
 * the way Alma publishes to `{main_folder}/{INST}/items/`.
 */
export async function writePublishingFile(
  dir: string,
  name: string,
  titles: readonly PublishedTitle[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  // Staged outside the served folder, so a client listing it never sees a half-written archive.
  const staging = await mkdtemp(path.join(os.tmpdir(), "alma-rs-publishing-"));
  try {
    const entry = name.replace(/\.tar\.gz$/, ".xml");
    await writeFile(path.join(staging, entry), collectionXml(titles.map(publishingRecord)));
    const file = path.join(dir, name);
    await tar.create({ gzip: true, file, cwd: staging, portable: true }, [entry]);
    return file;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
