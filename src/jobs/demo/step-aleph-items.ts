import { ALEPH_CLOCK, ALEPH_DEFAULT_START } from "../../sandbox/consortium/index.js";
import { runAlephItems } from "../aleph-items/job.js";
import { countsLine, expectThat, finishedCleanly, text, type StepOutcome } from "./account.js";
import type { DemoWorld } from "./world.js";

/** Hourly at :05: Aleph's new and updated items since the checkpoint → CaiaSoft. */
export async function alephItemsStep(world: DemoWorld): Promise<StepOutcome> {
  const summary = await runAlephItems(world.context());
  const { aleph, caiasoft } = world.sandbox;
  // What Aleph's own history says the first window holds.
  const window = aleph.entries(ALEPH_DEFAULT_START, ALEPH_CLOCK);
  const fresh = window.filter((entry) => entry.list === "new").map((entry) => String(entry.item.barcode));
  const changed = window
    .filter((entry) => entry.list === "update")
    .map((entry) => String(entry.item.barcode));
  const updatedAtCaiasoft = new Set(
    caiasoft.processed("itemupdates").flatMap((call) => call.items.map((item) => String(item.barcode))),
  );
  const missing = fresh.filter((barcode) => !caiasoft.items.has(barcode));
  const notUpdated = changed.filter((barcode) => !updatedAtCaiasoft.has(barcode));
  const next = (summary.details.checkpointAfter as { starttime?: string } | undefined)?.starttime;

  const lines = [
    countsLine(summary.counts, [
      "pages",
      "new items sent",
      "new items accepted",
      "updated items sent",
      "items updated",
    ]),
    `window ${ALEPH_DEFAULT_START} → ${ALEPH_CLOCK} (Aleph's clock), ${aleph.calls.length} calls following nextitem; ` +
      `the next run starts at ${next ?? "?"}`,
    ...fresh.slice(0, 2).map((barcode) => {
      const item = caiasoft.items.get(barcode);
      return `e.g. CaiaSoft now holds ${barcode} "${text(item?.title)}" (${text(item?.call_number, "")})`;
    }),
    `run files (every answer, saved before it was read): ${text(summary.details.runFiles)}`,
  ];
  const checks = [
    finishedCleanly(summary),
    expectThat(
      `CaiaSoft holds the ${fresh.length} items Aleph created in the window`,
      fresh.length > 0 && missing.length === 0,
      `missing ${missing.join(", ")}`,
    ),
    expectThat(
      `CaiaSoft received the ${changed.length} items Aleph changed in the window as updates`,
      changed.length > 0 && notUpdated.length === 0,
      `not sent ${notUpdated.join(", ")}`,
    ),
  ];
  return { lines, checks, summaries: [summary] };
}
