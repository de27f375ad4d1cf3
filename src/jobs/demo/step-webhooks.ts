import type { RunSummary } from "../../runtime/run-report.js";
import {
  AB,
  BARCODES,
  CD,
  REQUESTS,
  deliverWebhook,
  type AlmaWebhookEvent,
} from "../../sandbox/consortium/index.js";
import type { WebhookHandlers } from "../../webhook/dispatcher.js";
import { createWebhookHandlers } from "../../webhook/handlers.js";
import { WebhookService } from "../../webhook/service.js";
import { countsLine, expectThat, finishedCleanly, type DemoCheck, type StepOutcome } from "./account.js";
import type { DemoWorld } from "./world.js";

/** Alma gives a webhook listener this long to answer before it counts the delivery as failed. */
const ALMA_PATIENCE_MS = 5_000;
const DRAIN_MS = 30_000;

/**
 * The listener, as `serve-webhook` runs it: the SCF's staff return a loan and cancel a request in Alma, Alma
 * posts the signed events, the listener spools them and runs scan-in and cancel-request.
 */
export async function webhooksStep(world: DemoWorld): Promise<StepOutcome> {
  const summaries: RunSummary[] = [];
  const handlers = recording(createWebhookHandlers(), summaries);
  const service = await WebhookService.start({
    config: world.config,
    logger: world.logger,
    handlers,
    port: 0,
  });
  const lines: string[] = [];
  const checks: DemoCheck[] = [];
  try {
    const url = `http://127.0.0.1:${service.address.port}/webhook`;
    lines.push(`listener on ${url} (serve-webhook's service, spool ${world.config.webhook.spool_dir})`);
    const secret = world.config.webhook_secret!;
    const deliveries: { event: AlmaWebhookEvent; status: number; ms: number; what: string }[] = [];
    let drained = true;
    /** The staff's action in Alma, then Alma's delivery of the event it causes; a failed action is a ✘. */
    const deliver = async (what: string, act: () => Promise<AlmaWebhookEvent>) => {
      let event: AlmaWebhookEvent;
      try {
        event = await act();
      } catch (error) {
        checks.push(expectThat(what, false, (error as Error).message));
        return;
      }
      const started = Date.now();
      const status = await deliverWebhook(url, event, secret);
      deliveries.push({ event, status, ms: Date.now() - started, what });
      drained &&= await settled(service);
    };
    await deliver(`SCF staff returned the loan of ${BARCODES.abOnLoan}X`, () =>
      world.sandbox.scfStaff.returnLoan(`${BARCODES.abOnLoan}X`),
    );
    await deliver(`SCF staff cancelled the hold on ${BARCODES.cdOnShelf}X`, () =>
      world.sandbox.scfStaff.cancelRequest(`${BARCODES.cdOnShelf}X`, "Item missing from its tray"),
    );
    for (const { event, status, ms, what } of deliveries) {
      const kind = (event.event as { value: string }).value;
      lines.push(
        `${what} → Alma sent ${kind} (event ${event.id}) → the listener answered ${status} in ${ms} ms`,
      );
    }
    const done = service.spool.ids("done");
    const failed = service.spool.ids("failed");
    for (const summary of summaries) {
      const at = summary.institution ?? summary.details.institution;
      lines.push(`${summary.job}: ${countsLine(summary.counts)}${typeof at === "string" ? ` at ${at}` : ""}`);
    }
    lines.push(`spool: ${done.length} done, ${failed.length} failed`);

    checks.push(
      expectThat(
        `Alma's deliveries were acknowledged with 200 within ${ALMA_PATIENCE_MS / 1000} s`,
        deliveries.every(({ status, ms }) => status === 200 && ms < ALMA_PATIENCE_MS),
        deliveries.map(({ status, ms }) => `${status} in ${ms} ms`).join(", "),
      ),
      expectThat(
        "the spool drained: both events done, none failed",
        deliveries.length === 2 &&
          drained &&
          failed.length === 0 &&
          deliveries.every(({ event }) => done.includes(event.id)),
        `${drained ? "" : "still busy; "}done ${done.length}, failed ${failed.length}`,
      ),
      ...summaries.map(finishedCleanly),
      ...outcomeChecks(world),
    );
  } finally {
    await service.stop();
  }
  return { lines, checks, summaries };
}

/** Waits until the listener has nothing waiting or running (false: not within DRAIN_MS). */
function settled(service: WebhookService): Promise<boolean> {
  return Promise.race([
    service.idle().then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_MS).unref()),
  ]);
}

/** The real handlers, each run's summary kept for the account. */
function recording(real: WebhookHandlers, summaries: RunSummary[]): WebhookHandlers {
  const keep = (summary: RunSummary) => {
    summaries.push(summary);
    return summary;
  };
  return {
    jobEnd: real.jobEnd,
    ...(real.scanIn ? { scanIn: (barcode, context) => real.scanIn!(barcode, context).then(keep) } : {}),
    ...(real.cancelRequest
      ? { cancelRequest: (input, context) => real.cancelRequest!(input, context).then(keep) }
      : {}),
  };
}

function outcomeChecks(world: DemoWorld): DemoCheck[] {
  const homeItem = world.item(AB, BARCODES.abOnLoan);
  const waiting = world.request(AB, REQUESTS.abWaitingHold);
  const cdHold = world.request(CD, REQUESTS.cdItemHold);
  return [
    expectThat(
      `scan-in: ${BARCODES.abOnLoan} at AB is on the hold shelf for the patron's request ${REQUESTS.abWaitingHold}`,
      homeItem?.item_data.process_type?.value === "HOLDSHELF" && waiting?.request_status === "ON_HOLD_SHELF",
      `item ${homeItem?.item_data.process_type?.value ?? "in place"}, request ${waiting?.request_status}`,
    ),
    expectThat(
      `cancel-request: CD's request ${REQUESTS.cdItemHold} on ${BARCODES.cdOnShelf} is cancelled (CannotBeFulfilled)`,
      cdHold?.request_status === "CANCELLED" && cdHold.cancellation?.reason === "CannotBeFulfilled",
      `${cdHold?.request_status} ${cdHold?.cancellation?.reason ?? ""}`.trim(),
    ),
  ];
}
