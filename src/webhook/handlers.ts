import {
  createAlmaClients,
  createAlmaShared,
  type AlmaClients,
  type AlmaShared,
} from "../alma/create-alma-clients.js";
import { runCancelRequest } from "../jobs/cancel-request/job.js";
import { runScanIn } from "../jobs/scan-in/job.js";
import { sendRequests } from "../jobs/send-requests/run.js";
import { syncItems } from "../jobs/sync-items/index.js";
import type { RunContext } from "../runtime/run-context.js";
import type { WebhookHandlers } from "./dispatcher.js";

/**
 * The real jobs behind the listener. The Alma clients of every run share one rate limiter per institution and
 * one budget watch for the life of the process (a reload keeps them; new keys and gateway apply to the next run).
 *
 * JOB_END jobs, one line each, keyed as in `JOB_END_ROUTES`.
 */
export function createWebhookHandlers(): WebhookHandlers {
  let shared: AlmaShared | undefined;
  const alma = (context: RunContext): AlmaClients => {
    shared ??= createAlmaShared(context.config.alma, context.logger);
    return createAlmaClients(context.config, context.logger, { shared, signal: context.signal });
  };
  return {
    jobEnd: {
      "sync-items": (institution, context) => syncItems(context, { institution, alma: alma(context) }),
      "send-requests": (institution, context) => sendRequests(context, { institution, alma: alma(context) }),
    },
    scanIn: (scfBarcode, context) => runScanIn(context, { scfBarcode }, { alma: alma(context) }),
    cancelRequest: (input, context) => runCancelRequest(context, input, { alma: alma(context) }),
  };
}
