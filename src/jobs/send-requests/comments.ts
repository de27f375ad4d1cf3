import type { SourceRequest } from "./source-request.js";

/**
 * The comment of an SCF request made for an item: `[<requestNote> ]Patron: <name>, <id>, <email>, <address> ||
 * request type: <type> || Internal identifier: <requestId>` (absent patron fields are left out, and the patron
 * part when there is none). The internal identifier is how a re-run finds the request it already made.
 */
export function itemRequestComment(request: SourceRequest, note = request.requestNote): string {
  return [...(note ? [note] : []), describeRequest(request)].join(" ");
}

export interface TitleCommentInput {
  /** The institution that exported the request, whose inventory it is. */
  sourceInstitution: string;
  /** The patron's primary id in the source institution, for the cancel-request tag. */
  userPrimaryId: string | undefined;
  /** The source request's own comment, when the export carries no note. */
  sourceComment?: string;
  manualDescription?: string;
}

/**
 * The comment of a title-level SCF request: the note, where the inventory comes from, the request as for an item,
 * and the tag `{Source Request <INST>-<requestId>-<userPrimaryId>}` that cancel-request parses back.
 */
export function titleRequestComment(request: SourceRequest, input: TitleCommentInput): string {
  const note = request.requestNote ?? input.sourceComment;
  const inventory = `The inventory for this request should come from ${input.sourceInstitution}${
    input.manualDescription ? ` ${input.manualDescription}` : ""
  }`;
  return [
    ...(note ? [note] : []),
    `${inventory} || ${describeRequest(request)}`,
    sourceRequestTag(input.sourceInstitution, request.requestId, input.userPrimaryId),
  ].join(" ");
}

/** `{Source Request 01AAA_AB-2400751600006966-12345}`. */
export function sourceRequestTag(
  institution: string,
  requestId: string,
  userPrimaryId: string | undefined,
): string {
  return `{Source Request ${institution}-${requestId}-${userPrimaryId ?? ""}}`;
}

/** Whether an SCF request's comment says it was made for this source request (item or title level). */
export function madeForSourceRequest(
  comment: string | undefined,
  institution: string,
  requestId: string,
): boolean {
  if (!comment) return false;
  if (comment.includes(`{Source Request ${institution}-${requestId}-`)) return true;
  return new RegExp(`Internal identifier: ${escapeRegExp(requestId)}(?![\\w-])`).test(comment);
}

function describeRequest(request: SourceRequest): string {
  const { name, identifier, email, address } = request.patron;
  const patron = [name, identifier, email, address].filter((part) => part !== undefined).join(", ");
  return [
    ...(patron ? [`Patron: ${patron}`] : []),
    `request type: ${request.requestType}`,
    `Internal identifier: ${request.requestId}`,
  ].join(" || ");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
