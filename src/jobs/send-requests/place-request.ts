import type { RequestJson } from "./alma-port.js";
import { isUnknownUser } from "./error-kinds.js";
import { MissingSetup } from "./errors.js";
import type { Outcome, RequestDeps } from "./request-deps.js";
import type { Route } from "./route.js";
import type { SourceRequest } from "./source-request.js";

export interface Placement {
  route: Route;
  /** `on SCF item 31236016575915X`, `on SCF bib 9912…`. */
  target: string;
  userId: string;
  body: RequestJson;
  create: () => Promise<RequestJson>;
}

/** Creates the SCF request, or with --dry-run says what it would create (route, user, body). */
export async function placeScfRequest(
  request: SourceRequest,
  deps: RequestDeps,
  placement: Placement,
): Promise<Outcome> {
  const { route, target, userId, body } = placement;
  deps.logger.debug(`request ${request.requestId}: ${route} body ${JSON.stringify(body)}`);
  if (deps.dryRun) {
    deps.report.plan({
      action: `create ${route}`,
      target: `${target} for ${userId} (source request ${request.requestId})`,
      detail: { route, requestId: request.requestId, userId, body: withoutPatronDetails(body, request) },
    });
    return { kind: "planned", route, target };
  }
  const created = await createFor(placement);
  return { kind: "created", route, scfRequestId: created.request_id ?? "(no id in Alma's answer)", target };
}

/**
 * The SCF not knowing the user the request is for (the pickup library's system user not set up) is a gap in the
 * SCF's setup, not a lasting answer about the request: staff's to fix, the patron's request is left alone.
 */
async function createFor(placement: Placement): Promise<RequestJson> {
  try {
    return await placement.create();
  } catch (error) {
    if (!isUnknownUser(error)) throw error;
    throw new MissingSetup(
      `the SCF has no user ${placement.userId} (Alma answered ${error.errorCode} ${error.errorMessage}): ` +
        "staff must create it in the SCF before the request can be placed",
      error,
    );
  }
}

/** The SCF request an earlier run made: nothing to create. */
export function alreadyPlaced(route: Route, earlier: RequestJson, target: string): Outcome {
  return { kind: "existing", route, scfRequestId: earlier.request_id ?? "(no id)", target };
}

/**
 * The body as the summary shows it: the patron's name, email and address, which the SCF does get in the
 * comment, stay out of the run summary like they stay out of logs below debug.
 */
function withoutPatronDetails(body: RequestJson, request: SourceRequest): RequestJson {
  if (typeof body.comment !== "string") return body;
  let comment = body.comment;
  for (const field of ["name", "email", "address"] as const) {
    const value = request.patron[field];
    if (value) comment = comment.split(value).join(`[patron ${field}]`);
  }
  return { ...body, comment };
}
