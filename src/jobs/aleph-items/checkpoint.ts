import { createHash } from "node:crypto";
import { firstPageQuery, hasMoreItems, nextPageQuery, type ItemsQuery } from "../../aleph/items-query.js";
import type { ItemsPage } from "../../aleph/items-page.js";

export type BatchKind = "new" | "update";

/** A batch of the current page that CaiaSoft answered (its rejects, if any, are in that run's report). */
export interface BatchMark {
  /** 1-based position of the batch in the page's `new` or `update` list. */
  index: number;
  items: number;
  /** sha256 of the request body: a re-requested page whose batch differs is sent again. */
  digest: string;
}

/**
 * Where the sync stands: the window being synced and the position inside it (docs/adr/0004). Every
 * timestamp in it came from Aleph, except `starttime` before the first window ends (aleph.default_start).
 */
export interface Checkpoint {
  version: 1;
  /** Start of the window: the `endtime` of the last window fully accepted, or aleph.default_start. */
  starttime: string;
  /** End of the window as Aleph's first page gave it; null until that page is answered. */
  endtime: string | null;
  /** The `nextitem` that asks for the page being processed; null for the window's first page. */
  nextitem: string | null;
  /** The page being processed, 1-based. */
  page: number;
  /** Batches of that page CaiaSoft already answered: a re-run does not send them again. */
  accepted: Record<BatchKind, BatchMark[]>;
  /** The last window fully accepted, for people reading the file. */
  previous?: { starttime: string; endtime: string; pages: number; finishedBy: string };
  /** The run that wrote this file, for people (local clock, never sent to Aleph). */
  writtenBy?: string;
  writtenAt?: string;
}

/** A window not yet asked for: its first page is requested with `starttime` only. */
export function startOfWindow(starttime: string, previous?: Checkpoint["previous"]): Checkpoint {
  return {
    version: 1,
    starttime,
    endtime: null,
    nextitem: null,
    page: 1,
    accepted: { new: [], update: [] },
    ...(previous ? { previous } : {}),
  };
}

/** The request for the page the checkpoint points at (seed 002's continuation protocol). */
export function pageQuery(checkpoint: Checkpoint): ItemsQuery {
  if (checkpoint.nextitem === null) return firstPageQuery(checkpoint.starttime);
  return nextPageQuery(checkpoint.starttime, checkpoint.endtime!, checkpoint.nextitem);
}

/**
 * Aleph answered the page. The first page fixes the window's end; a follow-up keeps it even if Aleph
 * answers another `endtime` (the window the earlier pages covered must be the one that is closed).
 */
export function withPageReceived(checkpoint: Checkpoint, page: ItemsPage): Checkpoint {
  if (checkpoint.nextitem !== null) return checkpoint;
  if (checkpoint.endtime === page.endtime) return checkpoint;
  // The first page asked again (a run failed on it): Aleph's new endtime; batches that differ are resent.
  return { ...checkpoint, endtime: page.endtime };
}

export function batchMark(index: number, items: number, requestBody: string): BatchMark {
  return { index, items, digest: createHash("sha256").update(requestBody).digest("hex") };
}

export function isBatchAccepted(checkpoint: Checkpoint, kind: BatchKind, mark: BatchMark): boolean {
  return checkpoint.accepted[kind].some((done) => done.index === mark.index && done.digest === mark.digest);
}

export function withBatchAccepted(checkpoint: Checkpoint, kind: BatchKind, mark: BatchMark): Checkpoint {
  const others = checkpoint.accepted[kind].filter((done) => done.index !== mark.index);
  return { ...checkpoint, accepted: { ...checkpoint.accepted, [kind]: [...others, mark] } };
}

/**
 * Every batch of the page is answered: point at the next page, or, after the window's last page, open
 * the next window at the window's `endtime`.
 */
export function withPageDone(
  checkpoint: Checkpoint,
  page: ItemsPage,
  runId: string,
): { checkpoint: Checkpoint; windowDone: boolean } {
  const endtime = checkpoint.endtime ?? page.endtime;
  if (hasMoreItems(page.nextitem)) {
    return {
      checkpoint: {
        ...checkpoint,
        endtime,
        nextitem: page.nextitem,
        page: checkpoint.page + 1,
        accepted: { new: [], update: [] },
      },
      windowDone: false,
    };
  }
  const previous = { starttime: checkpoint.starttime, endtime, pages: checkpoint.page, finishedBy: runId };
  return { checkpoint: startOfWindow(endtime, previous), windowDone: true };
}

/** The shape check of a checkpoint read from disk; returns what is wrong, or undefined. */
export function checkpointProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const cp = value as Partial<Checkpoint>;
  if (cp.version !== 1) return `unknown version ${JSON.stringify(cp.version)}`;
  if (typeof cp.starttime !== "string" || cp.starttime === "") return "starttime is missing";
  if (cp.endtime !== null && typeof cp.endtime !== "string") return "endtime is neither null nor a string";
  if (cp.nextitem !== null && typeof cp.nextitem !== "string") return "nextitem is neither null nor a string";
  if (cp.nextitem !== null && cp.endtime === null) return "nextitem is set but endtime is not";
  if (typeof cp.page !== "number" || !Number.isInteger(cp.page) || cp.page < 1)
    return "page is not a positive integer";
  const marks = (list: unknown) =>
    Array.isArray(list) &&
    list.every(
      (mark: Partial<BatchMark>) =>
        mark !== null && typeof mark.index === "number" && typeof mark.digest === "string",
    );
  if (!cp.accepted || !marks(cp.accepted.new) || !marks(cp.accepted.update))
    return "accepted is not a list of batches";
  return undefined;
}
