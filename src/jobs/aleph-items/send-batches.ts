import type { AlephItem } from "../../aleph/items-page.js";
import type { CaiasoftClient } from "../../caiasoft/client.js";
import { CaiasoftBatchRefusedError, CaiasoftHttpError } from "../../caiasoft/caiasoft-error.js";
import {
  INCOMING_ITEMS_ENDPOINT,
  ITEM_UPDATES_ENDPOINT,
  incomingItemsBody,
  itemUpdatesBody,
  splitIntoBatches,
  type CaiasoftItem,
} from "../../caiasoft/item-bodies.js";
import {
  parseIncomingItemsOutcome,
  parseItemUpdatesOutcome,
  type BatchOutcome,
} from "../../caiasoft/outcomes.js";
import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import {
  batchMark,
  isBatchAccepted,
  withBatchAccepted,
  type BatchKind,
  type Checkpoint,
} from "./checkpoint.js";
import type { RunFiles, RunFilePosition } from "./run-files.js";

interface KindSpec {
  endpoint: string;
  step: string;
  label: string;
  body: (items: readonly CaiasoftItem[]) => string;
  parse: (body: string, barcodes: readonly string[], savedAs?: string) => BatchOutcome;
}

const KINDS: Record<BatchKind, KindSpec> = {
  new: {
    endpoint: INCOMING_ITEMS_ENDPOINT,
    step: "send new items",
    label: "new",
    body: incomingItemsBody,
    parse: parseIncomingItemsOutcome,
  },
  update: {
    endpoint: ITEM_UPDATES_ENDPOINT,
    step: "send updated items",
    label: "updated",
    body: itemUpdatesBody,
    parse: parseItemUpdatesOutcome,
  },
};

export interface SendContext {
  /** Absent in a dry run. */
  caiasoft: CaiasoftClient | undefined;
  files: RunFiles;
  report: RunReport;
  logger: Logger;
  batchSize: number;
  dryRun: boolean;
  /** Persists the checkpoint after each answered batch (a no-op in a dry run or with --since). */
  saveCheckpoint: (checkpoint: Checkpoint) => Promise<void>;
  /** SIGINT/SIGTERM: no new batch is started. */
  signal: AbortSignal;
}

/**
 * Steps 5 and 6: sends a page's new (or updated) items in batches, skipping the batches the checkpoint says
 * CaiaSoft already answered. Each request is saved before it is sent and each answer before it is read; the
 * items CaiaSoft refused go to the report with its reason; the checkpoint records the batch once answered.
 * A `success:false` that accepts and names nothing is no answer: the run stops and the batch is sent again.
 */
export async function sendBatches(
  kind: BatchKind,
  items: readonly AlephItem[],
  checkpoint: Checkpoint,
  iteration: number,
  context: SendContext,
): Promise<Checkpoint> {
  const spec = KINDS[kind];
  const { files, report, logger } = context;
  const batches = splitIntoBatches(items, context.batchSize);
  const at: RunFilePosition = { iteration, page: checkpoint.page };
  for (const [offset, batch] of batches.entries()) {
    context.signal.throwIfAborted();
    const index = offset + 1;
    const body = spec.body(batch);
    const mark = batchMark(index, batch.length, body);
    const where = `page ${checkpoint.page}, batch ${index}`;
    if (isBatchAccepted(checkpoint, kind, mark)) {
      report.count("batches already accepted");
      logger.info(`${spec.label} items of ${where}: already accepted by CaiaSoft, not sent again`);
      continue;
    }
    const barcodes = batch.map((item) => item.barcode);
    const requestFile = await files.save(at, `${kind}-${index}.request`, body);
    if (context.dryRun || !context.caiasoft) {
      report.plan({
        action: "send",
        target: `${batch.length} ${spec.label} item${batch.length === 1 ? "" : "s"} to POST ${spec.endpoint} (${where}): ${listBarcodes(barcodes)}`,
        detail: { endpoint: spec.endpoint, page: checkpoint.page, batch: index, barcodes, requestFile },
      });
      continue;
    }
    const outcome = await post(context.caiasoft, spec, body, barcodes, at, kind, index, files);
    requireAnswered(outcome.outcome, spec, where, outcome.responseFile);
    recordOutcome(outcome.outcome, spec, kind, outcome.responseFile, report, logger);
    checkpoint = withBatchAccepted(checkpoint, kind, mark);
    await context.saveCheckpoint(checkpoint);
  }
  return checkpoint;
}

async function post(
  caiasoft: CaiasoftClient,
  spec: KindSpec,
  body: string,
  barcodes: readonly string[],
  at: RunFilePosition,
  kind: BatchKind,
  index: number,
  files: RunFiles,
): Promise<{ outcome: BatchOutcome; responseFile: string }> {
  let answer;
  try {
    answer = await caiasoft.post(spec.endpoint, body);
  } catch (error) {
    if (error instanceof CaiasoftHttpError && error.body !== undefined) {
      await files.save(at, `${kind}-${index}.error`, error.body);
    }
    throw error;
  }
  const responseFile = await files.save(at, `${kind}-${index}.response`, answer.body);
  return { outcome: spec.parse(answer.body, barcodes, responseFile), responseFile };
}

/** A batch CaiaSoft refused whole, accepting and naming nothing, stops the run before the checkpoint records it. */
function requireAnswered(outcome: BatchOutcome, spec: KindSpec, where: string, responseFile: string): void {
  if (outcome.answered) return;
  const call = `POST ${spec.endpoint}`;
  throw new CaiasoftBatchRefusedError(
    `CaiaSoft answered ${call} for the ${spec.label} items of ${where} with success:false, ` +
      `accepting none and naming none: ${outcome.error || "no reason given"} (saved as ${responseFile})`,
    call,
    outcome.error,
    responseFile,
  );
}

function recordOutcome(
  outcome: BatchOutcome,
  spec: KindSpec,
  kind: BatchKind,
  responseFile: string,
  report: RunReport,
  logger: Logger,
): void {
  report.count(`${spec.label} items sent`, outcome.sent);
  report.count(kind === "new" ? "new items accepted" : "items updated", outcome.accepted);
  for (const problem of outcome.problems) {
    report.fail({
      ...(problem.barcode !== undefined ? { barcode: problem.barcode } : { record: responseFile }),
      step: spec.step,
      message: problem.reason,
    });
  }
  if (outcome.countMismatch)
    report.fail({ record: responseFile, step: spec.step, message: outcome.countMismatch });
  for (const warning of outcome.warnings) logger.warn(`CaiaSoft POST ${spec.endpoint} warned: ${warning}`);
}

function listBarcodes(barcodes: readonly string[]): string {
  const shown = barcodes.slice(0, 10).join(", ");
  return barcodes.length > 10 ? `${shown}, … (${barcodes.length - 10} more)` : shown;
}
