import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { readMarc } from "../../marc/reader.js";
import { firstSubfieldValue, getDataFields, subfieldValue } from "../../marc/record.js";
import { SEED_ALMA_BARCODES } from "../../sandbox/aspace/index.js";
import { ASPACE_FOLDER, ASPACE_OUTPUT, BARCODE_REPORT } from "../../sandbox/consortium/index.js";
import { rotatedName } from "../../transfer/remote-path.js";
import { runAspace2Alma } from "../aspace2alma/job.js";
import { sourcesFromConfig } from "../aspace2alma/sources.js";
import { countsLine, expectThat, finishedCleanly, text, type StepOutcome } from "./account.js";
import type { DemoWorld } from "./world.js";

interface ExportedRecord {
  title: string;
  callNumber: string;
  barcodes: string[];
}

/** 02:30: ArchivesSpace → MARC-XML with item fields → the file server, for Alma's 09:00 import. */
export async function aspace2almaStep(world: DemoWorld): Promise<StepOutcome> {
  const context = world.context();
  const summary = await runAspace2Alma(context, {}, sourcesFromConfig(context));
  const output = `${ASPACE_FOLDER}/${ASPACE_OUTPUT}`;
  const served = world.sandbox.served(output);
  const records = existsSync(served) ? await exportedRecords(served) : [];
  const items = records.flatMap((record) => record.barcodes);
  const size = existsSync(served) ? (await stat(served)).size : 0;

  const lines = [
    countsLine(summary.counts, ["resources", "exported", "excluded", "items"]),
    `${records.length} collection records with ${items.length} item fields (949) uploaded to ${output} ` +
      `(${Math.round(size / 1024)} KB) for Alma's import; yesterday's file kept as ${rotatedName(ASPACE_OUTPUT)}`,
    `${text(summary.details.barcodes_in_alma)} barcodes already in Alma (the Analytics report) got no item field`,
    ...records
      .filter((record) => record.barcodes.length > 0)
      .slice(0, 2)
      .map((record) => `e.g. "${record.title}" (${record.callNumber}): items ${record.barcodes.join(", ")}`),
  ];
  const inAlma = items.filter((barcode) => SEED_ALMA_BARCODES.includes(barcode));
  const report = `${ASPACE_FOLDER}/${BARCODE_REPORT}`;
  const checks = [
    finishedCleanly(summary),
    expectThat(
      `${output} on the file server holds the ${String(summary.counts.exported ?? 0)} exported records`,
      records.length > 0 && records.length === summary.counts.exported,
      `${records.length} records`,
    ),
    expectThat(
      "containers at ReCAP with a barcode became items, none already in Alma",
      items.length > 0 && inAlma.length === 0,
      `${items.length} items, ${inAlma.length} already in Alma (${inAlma.join(", ")})`,
    ),
    expectThat(
      `the barcode report was used up (renamed ${rotatedName(BARCODE_REPORT)})`,
      !existsSync(world.sandbox.served(report)) &&
        existsSync(world.sandbox.served(`${ASPACE_FOLDER}/${rotatedName(BARCODE_REPORT)}`)),
      "the report is still in place",
    ),
  ];
  return { lines, checks, summaries: [summary] };
}

async function exportedRecords(file: string): Promise<ExportedRecord[]> {
  const out: ExportedRecord[] = [];
  for await (const record of readMarc(file)) {
    out.push({
      title: (firstSubfieldValue(record, "245", "a") ?? "?").replace(/[\s/:;,.]+$/, ""),
      callNumber: firstSubfieldValue(record, "099", "a") ?? "?",
      barcodes: getDataFields(record, "949")
        .map((field) => subfieldValue(field, "a"))
        .filter((barcode): barcode is string => barcode !== undefined),
    });
  }
  return out;
}
