import type { RequestRecord } from "../../sandbox/alma/index.js";
import { AB, BARCODES, CD, PATRONS, REQUESTS, SCF } from "../../sandbox/consortium/index.js";
import { sendRequests } from "../send-requests/run.js";
import { countsLine, expectThat, finishedCleanly, type DemoCheck, type StepOutcome } from "./account.js";
import type { DemoWorld } from "./world.js";

/** send-requests for one member: its request export → SCF holds and digitization requests. */
export async function sendRequestsStep(world: DemoWorld, code: string): Promise<StepOutcome> {
  const before = new Set(world.institution(SCF).requests.map((request) => request.request_id));
  const summary = await sendRequests(world.context(), { institution: code });
  const created = world.institution(SCF).requests.filter((request) => !before.has(request.request_id));
  const files = (summary.details.files as string[] | undefined) ?? [];
  const lines = [
    countsLine(summary.counts),
    `request exports: ${files.join(", ") || "none"} (archived in ${code}/requests/OLD/)`,
    ...created.map((request) => `SCF request ${request.request_id}: ${describe(world, request)}`),
  ];
  const checks: DemoCheck[] = [
    finishedCleanly(summary),
    ...(code === AB ? abChecks(world) : cdChecks(world)),
  ];
  return { lines, checks, summaries: [summary] };
}

function describe(world: DemoWorld, request: RequestRecord): string {
  const item = request.item_id
    ? world.institution(SCF).items.find((candidate) => candidate.pid === request.item_id)
    : undefined;
  const bib = world.institution(SCF).bibs.find((candidate) => candidate.mms_id === request.mms_id);
  const on = item ? `item ${item.item_data.barcode}` : `title "${bib?.title ?? request.mms_id}"`;
  return `${request.request_type} on ${on} for ${request.user_primary_id}`;
}

function scfRequestsOn(world: DemoWorld, barcode: string): RequestRecord[] {
  const item = world.item(SCF, `${barcode}X`);
  return item ? world.activeRequests(SCF, item) : [];
}

function abChecks(world: DemoWorld): DemoCheck[] {
  const hold = scfRequestsOn(world, BARCODES.abOnShelf).find(
    (request) => request.request_type === "HOLD" && request.user_primary_id === `${AB}-ABRS`,
  );
  const titleTag = `{Source Request ${AB}-${REQUESTS.abTitleHold}-`;
  const titleHold = world
    .institution(SCF)
    .requests.find((request) => !request.item_id && request.comment?.includes(titleTag));
  const digitization = scfRequestsOn(world, BARCODES.abMinutes).find(
    (request) => request.request_type === "DIGITIZATION",
  );
  const linkedUser = world
    .institution(SCF)
    .users.find((user) => user.primary_id === digitization?.user_primary_id);
  const switched = world.request(AB, REQUESTS.abDigitization);
  return [
    expectThat(
      `the SCF holds ${BARCODES.abOnShelf}X for ${AB}-ABRS (a patron's hold at AB)`,
      hold !== undefined,
      "no such request",
    ),
    expectThat(
      `the SCF has a title-level hold for ${AB}-ABRS tagged ${titleTag}…}`,
      titleHold !== undefined && titleHold.user_primary_id === `${AB}-ABRS`,
      titleHold ? `for ${titleHold.user_primary_id}` : "no such request",
    ),
    expectThat(
      `the SCF has a digitization of ${BARCODES.abMinutes}X for ${PATRONS.ab.primaryId}, linked from ${AB}`,
      digitization !== undefined && linkedUser?.source_institution_code === AB,
      digitization ? `user ${digitization.user_primary_id}` : "no such request",
    ),
    expectThat(
      `AB's digitization request ${REQUESTS.abDigitization} was switched to the SCF (cancelled, RequestSwitched)`,
      switched?.request_status === "CANCELLED" && switched.cancellation?.reason === "RequestSwitched",
      `${switched?.request_status} ${switched?.cancellation?.reason ?? ""}`.trim(),
    ),
  ];
}

function cdChecks(world: DemoWorld): DemoCheck[] {
  const hold = scfRequestsOn(world, BARCODES.cdOnShelf).find(
    (request) => request.request_type === "HOLD" && request.user_primary_id === `${CD}-CDRS`,
  );
  return [
    expectThat(
      `the SCF holds ${BARCODES.cdOnShelf}X for ${CD}-CDRS (a patron's hold at CD)`,
      hold !== undefined,
      "no such request",
    ),
  ];
}
