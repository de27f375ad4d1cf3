import { almaPath } from "./alma-path.js";
import { findObject, sendForNothing, sendForObject } from "./calls.js";
import type { ItemAddress } from "./items.js";
import { allPages } from "./paging.js";
import type { AlmaTransport, QueryValue } from "./transport.js";
import type { AlmaUserRequest } from "./types.js";

export interface CreateRequestOptions {
  /** `allow_same_request` (default true, as the reference app sends it); `false` leaves it out (Alma's default). */
  allowSameRequest?: boolean;
  /** Replaces the default look-up run after an uncertain create (see `writeOnce`). */
  lookup?: () => Promise<AlmaUserRequest | undefined>;
}

export interface CancelRequestOptions {
  /** A code of Alma's RequestCancellationReasons table: `CannotBeFulfilled`, `RequestSwitched`, … */
  reason: string;
  note?: string;
  /** Tell the patron (default: Alma's default, not sent). */
  notifyUser?: boolean;
}

/** Which of Alma's request lists: the active requests (Alma's default) or the ended ones. */
export type RequestListStatus = "active" | "history";

/** Statuses of a request that is no longer active. */
const ENDED = new Set(["CANCELLED", "CANCELED", "HISTORY", "COMPLETED"]);

/** User requests (holds, digitization): create on an item or a title, list, read, cancel. */
export class RequestsApi {
  constructor(private readonly transport: AlmaTransport) {}

  /**
   * Creates an item-level request for `userId`; after an uncertain outcome, looks among the item's requests
   * for one of the same type, user and comment (the comment carries the source request's identifier).
   */
  createItemRequest(
    item: ItemAddress,
    userId: string,
    request: AlmaUserRequest,
    options: CreateRequestOptions = {},
  ): Promise<AlmaUserRequest> {
    return this.transport.writeOnce(
      () =>
        sendForObject<AlmaUserRequest>(this.transport, {
          method: "POST",
          path: almaPath`bibs/${item.mmsId}/holdings/${item.holdingId}/items/${item.pid}/requests`,
          query: createQuery(userId, options),
          json: request,
        }),
      options.lookup ?? (async () => sameRequest(await this.listItemRequests(item), userId, request)),
    );
  }

  /** Creates a title-level request on bib `mmsId`; after an uncertain outcome, looks among the bib's requests. */
  createBibRequest(
    mmsId: string,
    userId: string,
    request: AlmaUserRequest,
    options: CreateRequestOptions = {},
  ): Promise<AlmaUserRequest> {
    return this.transport.writeOnce(
      () =>
        sendForObject<AlmaUserRequest>(this.transport, {
          method: "POST",
          path: almaPath`bibs/${mmsId}/requests`,
          query: createQuery(userId, options),
          json: request,
        }),
      options.lookup ?? (async () => sameRequest(await this.listBibRequests(mmsId), userId, request)),
    );
  }

  /** The active requests on an item, or with `history` the ended ones (fulfilled, cancelled). */
  listItemRequests(item: ItemAddress, status: RequestListStatus = "active"): Promise<AlmaUserRequest[]> {
    return allPages<AlmaUserRequest>(
      this.transport,
      almaPath`bibs/${item.mmsId}/holdings/${item.holdingId}/items/${item.pid}/requests`,
      "user_request",
      statusQuery(status),
    );
  }

  /** The active requests on a bib (title and item level), or with `history` the ended ones. */
  listBibRequests(mmsId: string, status: RequestListStatus = "active"): Promise<AlmaUserRequest[]> {
    return allPages<AlmaUserRequest>(
      this.transport,
      almaPath`bibs/${mmsId}/requests`,
      "user_request",
      statusQuery(status),
    );
  }

  /** A request read through its bib, or `undefined`. */
  getBibRequest(mmsId: string, requestId: string): Promise<AlmaUserRequest | undefined> {
    return findObject<AlmaUserRequest>(this.transport, almaPath`bibs/${mmsId}/requests/${requestId}`);
  }

  /** A request read through its user, or `undefined`. */
  getUserRequest(userId: string, requestId: string): Promise<AlmaUserRequest | undefined> {
    return findObject<AlmaUserRequest>(this.transport, almaPath`users/${userId}/requests/${requestId}`);
  }

  /** Cancels a request through its item; after an uncertain outcome, cancels again only if it is still there. */
  cancelItemRequest(item: ItemAddress, requestId: string, options: CancelRequestOptions): Promise<void> {
    return this.#cancel(
      almaPath`bibs/${item.mmsId}/holdings/${item.holdingId}/items/${item.pid}/requests/${requestId}`,
      options,
      async () => (await this.listItemRequests(item)).some((request) => request.request_id === requestId),
    );
  }

  /** Cancels a request through its bib (the seed's `mmsId` case). */
  cancelBibRequest(mmsId: string, requestId: string, options: CancelRequestOptions): Promise<void> {
    return this.#cancel(almaPath`bibs/${mmsId}/requests/${requestId}`, options, async () =>
      isActive(await this.getBibRequest(mmsId, requestId)),
    );
  }

  /** Cancels a request through its user (when only the user is known). */
  cancelUserRequest(userId: string, requestId: string, options: CancelRequestOptions): Promise<void> {
    return this.#cancel(almaPath`users/${userId}/requests/${requestId}`, options, async () =>
      isActive(await this.getUserRequest(userId, requestId)),
    );
  }

  async #cancel(
    path: string,
    options: CancelRequestOptions,
    stillActive: () => Promise<boolean>,
  ): Promise<void> {
    await this.transport.writeOnce(
      async () => {
        await sendForNothing(this.transport, {
          method: "DELETE",
          path,
          query: { reason: options.reason, note: options.note, notify_user: options.notifyUser },
        });
        return true as const;
      },
      async () => ((await stillActive()) ? undefined : (true as const)),
    );
  }
}

function createQuery(userId: string, options: CreateRequestOptions): Record<string, QueryValue> {
  return {
    user_id: userId,
    ...((options.allowSameRequest ?? true) ? { allow_same_request: true } : {}),
  };
}

/** Alma's default list is the active one: only `history` is asked for, so the usual calls stay as they were. */
function statusQuery(status: RequestListStatus): Record<string, QueryValue> {
  return status === "history" ? { status } : {};
}

function isActive(request: AlmaUserRequest | undefined): boolean {
  return request !== undefined && !ENDED.has(String(request.request_status ?? "").toUpperCase());
}

/** A request that is the one `request` would create: same type, user and comment. */
function sameRequest(
  requests: AlmaUserRequest[],
  userId: string,
  request: AlmaUserRequest,
): AlmaUserRequest | undefined {
  return requests.find(
    (candidate) =>
      candidate.request_type === request.request_type &&
      (candidate.user_primary_id ?? userId) === userId &&
      (candidate.comment ?? "") === (request.comment ?? ""),
  );
}
