/** What `{Source Request <INST>-<requestId>-<userPrimaryId>}` in an SCF request's comment names. */
export interface SourceRequestTag {
  institution: string;
  requestId: string;
  /** The patron's primary id in the source institution; it may itself contain `-`. */
  userId: string;
}

const TAG = /\{Source Request ([^}]*)\}/;

/**
 * Reads the source-request tag of a comment: the institution runs to the first `-`, the request id to the
 * second, the user id (which may contain `-`) to the `}`. `undefined` when there is no tag or a part is empty.
 */
export function parseSourceRequestTag(comment: string): SourceRequestTag | undefined {
  const inner = TAG.exec(comment)?.[1]?.trim();
  if (!inner) return undefined;
  const first = inner.indexOf("-");
  const second = first < 0 ? -1 : inner.indexOf("-", first + 1);
  if (first <= 0 || second < 0) return undefined;
  const tag = {
    institution: inner.slice(0, first),
    requestId: inner.slice(first + 1, second),
    userId: inner.slice(second + 1),
  };
  return tag.institution && tag.requestId && tag.userId ? tag : undefined;
}
