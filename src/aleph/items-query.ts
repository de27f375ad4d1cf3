/**
 * One request to Aleph's items endpoint (seed 002). The window's first request carries `starttime` only;
 * each follow-up carries the same `starttime`, the previous answer's `endtime` and its `nextitem`.
 */
export interface ItemsQuery {
  starttime: string;
  endtime?: string;
  nextitem?: string;
}

/** The first request of a window: `starttime` only, never an `endtime`. */
export function firstPageQuery(starttime: string): ItemsQuery {
  return { starttime };
}

/** A follow-up request inside the window. */
export function nextPageQuery(starttime: string, endtime: string, nextitem: string): ItemsQuery {
  return { starttime, endtime, nextitem };
}

/** The URL of a query: the configured endpoint with `starttime`, then `endtime` and `nextitem` when given. */
export function itemsQueryUrl(itemsUrl: string, query: ItemsQuery): string {
  const url = new URL(itemsUrl);
  url.searchParams.set("starttime", query.starttime);
  if (query.endtime !== undefined) url.searchParams.set("endtime", query.endtime);
  if (query.nextitem !== undefined) url.searchParams.set("nextitem", query.nextitem);
  return url.href;
}

/** More pages follow only when `nextitem` is a non-empty string: absent, null and "" all end the window. */
export function hasMoreItems(nextitem: string | null | undefined): nextitem is string {
  return typeof nextitem === "string" && nextitem.length > 0;
}
