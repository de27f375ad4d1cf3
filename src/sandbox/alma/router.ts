import { SimulatedAlmaError } from "./alma-error.js";
import type { Handler, SimRequest, SimResponse } from "./context.js";
import { ErrorCodes } from "./error-codes.js";

/** One endpoint: method, a path below `/almaws/v1` with `:param` segments, and the API area its key needs. */
export interface Route {
  method: string;
  pattern: string;
  /** `bibs`, `users`, `conf`… (items belong to `bibs`, as in Alma); `""` when the handler checks itself. */
  area: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
}

function split(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function match(route: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of route.segments.entries()) {
    const actual = segments[index] ?? "";
    if (expected.startsWith(":")) params[expected.slice(1)] = decodeURIComponent(actual);
    else if (expected !== actual) return undefined;
  }
  return params;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => ({ ...route, segments: split(route.pattern) }));
  }

  /** Runs the matching handler; unknown paths and methods answer as errors. */
  dispatch(request: Omit<SimRequest, "params">): SimResponse {
    const segments = split(request.path);
    let pathKnown = false;
    for (const route of this.routes) {
      const params = match(route, segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method !== request.method) continue;
      if (route.area !== "") checkPermission(request, route);
      return route.handler({ ...request, params });
    }
    throw pathKnown
      ? new SimulatedAlmaError(
          405,
          ErrorCodes.unknownResource,
          `Method ${request.method} is not allowed here.`,
        )
      : new SimulatedAlmaError(
          404,
          ErrorCodes.unknownResource,
          `No resource at ${request.method} /almaws/v1${request.path}.`,
        );
  }
}

export const UNAUTHORIZED_MESSAGE = "API-key not defined or not configured to allow this API.";

/** Keys have per-area permissions: none, read (GET only) or read/write. */
export function checkPermission(
  request: Pick<SimRequest, "institution" | "method">,
  route: Pick<Route, "area">,
): void {
  const permission = request.institution.permissions[route.area] ?? "read-write";
  const allowed = permission === "read-write" || (permission === "read" && request.method === "GET");
  if (!allowed) throw new SimulatedAlmaError(401, ErrorCodes.unauthorized, UNAUTHORIZED_MESSAGE);
}
