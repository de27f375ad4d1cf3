import type { RequestJson } from "./alma-port.js";
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
  const created = await placement.create();
  return { kind: "created", route, scfRequestId: created.request_id ?? "(no id in Alma's answer)", target };
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
