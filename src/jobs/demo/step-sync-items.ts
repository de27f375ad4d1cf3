import { existsSync } from "node:fs";
import path from "node:path";
import { AB, BARCODES, CD, SCF } from "../../sandbox/consortium/index.js";
import { syncItems } from "../sync-items/index.js";
import { countsLine, expectThat, finishedCleanly, type DemoCheck, type StepOutcome } from "./account.js";
import type { DemoWorld } from "./world.js";

/** What the seeded publishing files should do to the SCF, member by member. */
interface Expected {
  /** New in remote storage: created in the SCF and loaned to `{INST}-{library}`. */
  created: { barcode: string; library: string }[];
  /** Changed at the member: the SCF copy takes the member's internal note 2. */
  updated: { barcode: string; note: string }[];
  /** Left remote storage, or deleted at the member: the SCF copy is withdrawn. */
  withdrawn: { barcode: string; why: string }[];
}

const EXPECTED: Record<string, Expected> = {
  [AB]: {
    created: [
      { barcode: BARCODES.abNew, library: "ABRS" },
      { barcode: BARCODES.abMinutes, library: "ABRS" },
    ],
    updated: [{ barcode: BARCODES.abOnLoan, note: "Shelf A-14" }],
    withdrawn: [{ barcode: BARCODES.abLeft, why: "moved to ABMAIN/stacks" }],
  },
  [CD]: {
    created: [{ barcode: BARCODES.cdNew, library: "CDRS" }],
    updated: [{ barcode: BARCODES.cdOnShelf, note: "Tray 0117" }],
    withdrawn: [{ barcode: BARCODES.cdWithdrawn, why: "deleted at CD: the _delete file" }],
  },
};

/** sync-items for one member: its publishing files → SCF items created (and loaned), updated, withdrawn. */
export async function syncItemsStep(world: DemoWorld, code: string): Promise<StepOutcome> {
  const expected = EXPECTED[code]!;
  const summary = await syncItems(world.context(), { institution: code });
  const files = (summary.details.files as string[] | undefined) ?? [];
  const lines = [
    countsLine(summary.counts, [
      "created",
      "updated",
      "deleted",
      "loaned",
      "bibs created",
      "holdings created",
    ]),
    `publishing files: ${files.join(", ") || "none"} (archived in ${code}/items/OLD/)`,
  ];
  const checks: DemoCheck[] = [finishedCleanly(summary)];

  for (const { barcode, library } of expected.created) {
    const scfBarcode = `${barcode}X`;
    const item = world.item(SCF, scfBarcode);
    const loan = item && world.activeLoan(SCF, item);
    const user = `${code}-${library}`;
    if (item) {
      const bib = world.institution(SCF).bibs.find((candidate) => candidate.mms_id === item.mms_id);
      const holding = world
        .institution(SCF)
        .holdings.find((candidate) => candidate.holding_id === item.holding_id);
      const origin = bib?.linked_nz_mms_id ? "from the Network Zone" : "a local record";
      lines.push(
        `new in the SCF: ${scfBarcode} "${bib?.title ?? "?"}" (bib ${item.mms_id}, ${origin}), ` +
          `holding ${holding?.library}/${holding?.location}, on loan to ${loan?.user_id ?? "nobody"}`,
      );
    }
    checks.push(
      expectThat(
        `the SCF has ${scfBarcode}, on loan to ${user}`,
        item !== undefined && loan?.user_id === user,
        item ? `loan: ${loan?.user_id ?? "none"}` : "no such item",
      ),
    );
  }
  for (const { barcode, note } of expected.updated) {
    const scfBarcode = `${barcode}X`;
    const actual = world.item(SCF, scfBarcode)?.item_data.internal_note_2;
    lines.push(`updated: ${scfBarcode}, internal note 2 now "${String(actual)}"`);
    checks.push(
      expectThat(
        `the SCF copy ${scfBarcode} took the member's change ("${note}")`,
        actual === note,
        String(actual),
      ),
    );
  }
  for (const { barcode, why } of expected.withdrawn) {
    const scfBarcode = `${barcode}X`;
    const gone = world.item(SCF, scfBarcode) === undefined;
    if (gone) lines.push(`withdrawn from the SCF: ${scfBarcode} (${why})`);
    checks.push(expectThat(`${scfBarcode} is gone from the SCF (${why})`, gone, "still there"));
  }
  const archived = files.every((name) =>
    existsSync(path.join(world.sandbox.served(`/alma/${code}/items/OLD`), name)),
  );
  checks.push(
    expectThat(
      "the publishing files were archived in OLD/ on the file server",
      files.length > 0 && archived,
      `${files.length} files`,
    ),
  );
  return { lines, checks, summaries: [summary] };
}
