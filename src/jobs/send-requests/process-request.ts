import { AlmaError } from "../../alma/errors.js";
import { CANNOT_BE_FULFILLED, cancelSourceRequest } from "./cancel-source.js";
import {
  patronItemDigitization,
  patronTitleDigitization,
  staffItemDigitization,
  staffTitleDigitization,
} from "./digitization.js";
import { kindOf } from "./error-kinds.js";
import { hasEnded, readSourceRequest } from "./lookups.js";
import { MissingSetup, RequestFailure } from "./errors.js";
import { itemHold, titleHold } from "./physical.js";
import type { Outcome, RequestDeps, RequestFacts } from "./request-deps.js";
import { routeFor, type Route } from "./route.js";
import {
  describePosition,
  type ExportEntry,
  type InvalidExport,
  type SourceRequest,
} from "./source-request.js";

type Handler = (request: SourceRequest, deps: RequestDeps, facts: RequestFacts) => Promise<Outcome>;

const HANDLERS: Record<Route, Handler> = {
  "item hold": itemHold,
  "title hold": titleHold,
  "patron digitization (item)": patronItemDigitization,
  "patron digitization (title)": patronTitleDigitization,
  "staff digitization (item)": staffItemDigitization,
  "staff digitization (title)": staffTitleDigitization,
};

/** `done`: the request needs nothing more from this file; `retry`: the file must be processed again later. */
export type EntryResult = "done" | "retry";

/**
 * One entry of an export: route it, hand it to its handler, and account for what happened. A lasting failure
 * cancels the patron's request (seed 001 §7.10) when the failure says so; an uncertain one, or a setup the SCF
 * lacks, leaves it alone and asks for the file to be kept; Alma unreachable or failing stops the run (the error
 * is thrown).
 */
export async function processEntry(
  entry: ExportEntry,
  deps: RequestDeps,
  file: string,
): Promise<EntryResult> {
  if (entry.kind === "invalid") {
    reportInvalid(entry.invalid, deps, file);
    return "done";
  }
  const request = entry.request;
  const route = routeFor(request);
  const facts: RequestFacts = {};
  const { name, email, address } = request.patron;
  if (name || email || address) {
    deps.logger.debug(
      `request ${request.requestId}: patron ${[name, email, address].filter(Boolean).join(", ")}`,
    );
  }
  try {
    account(await HANDLERS[route](request, deps, facts), request, deps);
    return "done";
  } catch (error) {
    return failed(error, request, route, deps, facts);
  }
}

function account(outcome: Outcome, request: SourceRequest, deps: RequestDeps): void {
  const { logger, report } = deps;
  const id = request.requestId;
  switch (outcome.kind) {
    case "created":
      report.count(`created: ${outcome.route}`);
      logger.info(
        `request ${id}: ${outcome.route} ${outcome.target}: created SCF request ${outcome.scfRequestId}`,
      );
      return;
    case "existing":
      report.count("already in the SCF");
      logger.info(
        `request ${id}: ${outcome.route} ${outcome.target}: SCF request ${outcome.scfRequestId} was made by an earlier run`,
      );
      return;
    case "planned":
      logger.info(`request ${id}: would create ${outcome.route} ${outcome.target}`);
      return;
    case "cancelled":
      // With --dry-run the plan is what is counted ("would cancel source request").
      if (!outcome.planned) report.count("cancelled: item on loan");
      logger.info(`request ${id}: ${outcome.route}: ${outcome.why}`);
      return;
  }
}

async function failed(
  error: unknown,
  request: SourceRequest,
  route: Route,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<EntryResult> {
  const kind = kindOf(error);
  if (kind === "stop") throw error;
  const message = (error as Error).message;
  const record = {
    ...(request.barcode ? { barcode: request.barcode } : {}),
    record: request.requestId,
    step: route,
  };
  if (kind === "uncertain" || error instanceof MissingSetup) {
    deps.logger.debug((error as Error).stack ?? message);
    deps.report.fail({
      ...record,
      message:
        `request ${request.requestId}: ${message}; ` +
        `the source request was left as it is and the file is kept for another run`,
    });
    return "retry";
  }
  if (!cancelsSource(error)) {
    deps.report.fail({
      ...record,
      message: `request ${request.requestId}: ${message}; the source request was left as it is`,
    });
    return "done";
  }
  if (await sourceHasEnded(request, deps, facts)) {
    // Ended by the patron or staff, or cancelled by an earlier run of this file: nothing to cancel, nothing new.
    deps.report.count("source request already ended");
    deps.logger.info(`request ${request.requestId}: ${message}; the source request has ended already`);
    return "done";
  }
  try {
    const done = await cancelSourceRequest(request, deps, facts, CANNOT_BE_FULFILLED);
    deps.report.fail({
      ...record,
      message: `request ${request.requestId}: ${message}; the source request ${done.text}`,
    });
    return "done";
  } catch (cancelError) {
    const cancelKind = kindOf(cancelError);
    if (cancelKind === "stop") throw cancelError;
    deps.report.fail({
      ...record,
      message:
        `request ${request.requestId}: ${message}; the source request could not be cancelled: ` +
        `${(cancelError as Error).message}` +
        (cancelKind === "uncertain" ? "; the file is kept for another run" : ""),
    });
    return cancelKind === "uncertain" ? "retry" : "done";
  }
}

/**
 * Whether the member's request has ended or is gone, read before cancelling it; a read that fails (no bib nor
 * patron to read it through, a refusal) answers no, and the cancellation is tried as before.
 */
async function sourceHasEnded(
  request: SourceRequest,
  deps: RequestDeps,
  facts: RequestFacts,
): Promise<boolean> {
  try {
    const source = await readSourceRequest(request, deps, facts);
    return source === undefined || hasEnded(source);
  } catch (error) {
    if (kindOf(error) === "stop") throw error;
    return false;
  }
}

/** Our own failures say whether they cancel; Alma refusing the request (a 4xx) does. */
function cancelsSource(error: unknown): boolean {
  if (error instanceof RequestFailure) return error.cancelSource;
  return error instanceof AlmaError;
}

function reportInvalid(invalid: InvalidExport, deps: RequestDeps, file: string): void {
  const where = `${describePosition(invalid.position)} of ${file}`;
  deps.report.fail({
    ...(invalid.barcode ? { barcode: invalid.barcode } : {}),
    record: invalid.requestId ?? `${file} ${describePosition(invalid.position)}`,
    step: "read export",
    message: `${invalid.requestId ? `request ${invalid.requestId}: ` : ""}${where}: ${invalid.problems.join(", ")}; skipped`,
  });
}
