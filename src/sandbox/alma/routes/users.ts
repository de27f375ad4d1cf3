import { badRequest, invalidParameter, notFound, requireParameter } from "../alma-error.js";
import { jsonBody, ok, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { IdPrefix, nextId } from "../ids.js";
import { findUser } from "../lookup.js";
import { renderUser } from "../render.js";
import type { Route } from "../router.js";
import type { InstitutionState, UserRecord } from "../types.js";

/** Link fields: never copied from the source user, set by the linking itself. */
const LINK_FIELDS = ["link", "linking_id", "source_institution_code", "source_user_id", "source_link_id"];

/** A linked user of this institution whose source is `sourceInstitution`, found by any of its link ids. */
function findLinkedUser(
  institution: InstitutionState,
  sourceInstitution: string,
  userId: string,
): UserRecord | undefined {
  return institution.users.find(
    (user) =>
      user.source_institution_code === sourceInstitution &&
      [user.primary_id, user.source_user_id, user.source_link_id, user.linking_id].includes(userId),
  );
}

/** `GET /users/{id}?user_id_type=…` or, for a linked user, `GET /users/{id}?source_institution_code=…`. */
function getUser(request: SimRequest): SimResponse {
  const { institution, query, params } = request;
  const userId = params.user_id ?? "";
  const sourceInstitution = query.get("source_institution_code");
  if (sourceInstitution) {
    const user = findLinkedUser(institution, sourceInstitution, userId);
    if (!user) throw notFound(ErrorCodes.userNotFound, `User with identifier ${userId} was not found.`);
    return ok(renderUser(user, request.apiBase), "user");
  }
  const user = findUser(institution, userId, query.get("user_id_type") ?? "all_unique");
  return ok(renderUser(user, request.apiBase), "user");
}

function sourceUser(request: SimRequest, sourceCode: string, sourceUserId: string): UserRecord {
  const source = request.state.institutions[sourceCode];
  if (!source) throw invalidParameter("source_institution_code", sourceCode);
  const user =
    source.users.find((candidate) => candidate.linking_id === sourceUserId) ?? findUser(source, sourceUserId);
  if (!user.linking_id) user.linking_id = nextId(source, IdPrefix.linking);
  return user;
}

function copyOf(source: UserRecord): Partial<UserRecord> {
  return Object.fromEntries(
    Object.entries(structuredClone(source)).filter(([key]) => !LINK_FIELDS.includes(key)),
  );
}

/** `POST /users?source_institution_code=…&source_user_id=…` links a user; a plain `POST /users` creates one. */
function createUser(request: SimRequest): SimResponse {
  const { institution, query } = request;
  const sourceCode = query.get("source_institution_code");
  if (!sourceCode) return createLocalUser(request);
  const sourceUserId = requireParameter(query, "source_user_id");
  const source = sourceUser(request, sourceCode, sourceUserId);
  if (findLinkedUser(institution, sourceCode, source.primary_id)) {
    throw badRequest(ErrorCodes.parameterNotValid, `User ${source.primary_id} is already linked.`);
  }
  const primaryTaken = institution.users.some((user) => user.primary_id === source.primary_id);
  const user: UserRecord = {
    ...copyOf(source),
    primary_id: primaryTaken ? nextId(institution, IdPrefix.linking) : source.primary_id,
    account_type: { value: "EXTERNAL", desc: "External" },
    source_institution_code: sourceCode,
    source_user_id: source.primary_id,
    source_link_id: source.linking_id,
    linking_id: source.linking_id,
  };
  institution.users.push(user);
  return ok(renderUser(user, request.apiBase), "user");
}

function createLocalUser(request: SimRequest): SimResponse {
  const body = jsonBody(request);
  const primaryId = typeof body.primary_id === "string" ? body.primary_id.trim() : "";
  if (primaryId === "") throw invalidParameter("primary_id");
  if (request.institution.users.some((user) => user.primary_id === primaryId)) {
    throw badRequest(ErrorCodes.parameterNotValid, `User with identifier ${primaryId} already exists.`);
  }
  const user: UserRecord = { ...body, primary_id: primaryId };
  delete user.link;
  request.institution.users.push(user);
  return ok(renderUser(user, request.apiBase), "user");
}

/** `POST /users/{id}?op=refresh` copies the source institution's user again onto the linked user. */
function refreshUser(request: SimRequest): SimResponse {
  const { institution, query, params } = request;
  const op = query.get("op");
  if (op !== "refresh") throw invalidParameter("op", op ?? "");
  const user = findUser(institution, params.user_id ?? "");
  if (!user.source_institution_code || !user.source_user_id) {
    throw badRequest(ErrorCodes.notLinkedUser, `User ${user.primary_id} is not a linked user.`);
  }
  const source = sourceUser(request, user.source_institution_code, user.source_user_id);
  const keep = Object.fromEntries(Object.entries(user).filter(([key]) => LINK_FIELDS.includes(key)));
  const refreshed: UserRecord = {
    ...copyOf(source),
    ...keep,
    primary_id: user.primary_id,
    account_type: { value: "EXTERNAL", desc: "External" },
  };
  institution.users = institution.users.map((candidate) => (candidate === user ? refreshed : candidate));
  return ok(renderUser(refreshed, request.apiBase), "user");
}

export const userRoutes: Route[] = [
  { method: "POST", pattern: "/users", area: "users", handler: createUser },
  { method: "GET", pattern: "/users/:user_id", area: "users", handler: getUser },
  { method: "POST", pattern: "/users/:user_id", area: "users", handler: refreshUser },
];
