import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tar from "tar";
import { controlField, createRecord, dataField, type MarcRecord } from "../../src/marc/record.js";
import { COLLECTION_END, COLLECTION_START, recordToXml } from "../../src/marc/writer.js";

export interface PublishedItemSpec {
  barcode?: string;
  library: string;
  location: string;
  note?: string;
}

/** A record as Alma's publishing profile writes it: 001, 035 (NZ) when given, 245, and one ITM per item. */
export function publishingRecord(spec: {
  mmsId: string;
  nzId?: string;
  title: string;
  items: PublishedItemSpec[];
}): MarcRecord {
  return createRecord("00000nam a2200000 a 4500", [
    controlField("001", spec.mmsId),
    ...(spec.nzId ? [dataField("035", " ", " ", [["a", `(EXLNZ-01AAA_NETWORK)${spec.nzId}`]])] : []),
    dataField("245", "1", "0", [["a", spec.title]]),
    ...spec.items.map((item) =>
      dataField("ITM", " ", " ", [
        ...(item.barcode ? ([["b", item.barcode]] as [string, string][]) : []),
        ["c", item.library],
        ["l", item.location],
        ...(item.note ? ([["n", item.note]] as [string, string][]) : []),
      ]),
    ),
  ]);
}

export function collectionXml(records: MarcRecord[]): string {
  return `${COLLECTION_START}\n${records.map((record) => recordToXml(record)).join("\n")}\n${COLLECTION_END}\n`;
}

/** An entry of a test tar: MARC records as a collection, or any text (a README, a file that is not XML). */
export type TarEntry = { name: string; records: MarcRecord[] } | { name: string; text: string };

/** Writes `<into>/<name>` (default `<dir>/<name>`) as a tar.gz of `entries`, staged under `dir`. */
export async function writePublishingTarGz(
  dir: string,
  name: string,
  entries: TarEntry[],
  into = dir,
): Promise<string> {
  const staging = path.join(dir, `.staging-${name}`);
  await mkdir(staging, { recursive: true });
  for (const entry of entries) {
    const text = "text" in entry ? entry.text : collectionXml(entry.records);
    await writeFile(path.join(staging, entry.name), text);
  }
  await mkdir(into, { recursive: true });
  const file = path.join(into, name);
  await tar.create(
    { gzip: true, file, cwd: staging },
    entries.map((entry) => entry.name),
  );
  return file;
}
