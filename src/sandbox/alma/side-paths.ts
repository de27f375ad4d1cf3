import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallFilter, CallRecord } from "./call-log.js";
import type { AlmaFixture } from "./fixture.js";
import { faultSetSchema, type FaultRule } from "./faults.js";
import type { SimulatorState } from "./types.js";

/** What the side paths may see and do; the simulator passes itself. */
export interface SandboxControl {
  readonly state: SimulatorState;
  callsMatching(filter: CallFilter): CallRecord[];
  setFaults(faults: FaultRule[], options?: { seed?: number }): void;
  readonly faults: FaultRule[];
  reset(fixture?: AlmaFixture): void;
  remaining(institution: string): number;
}

export const SIDE_PATH_PREFIX = "/__sandbox/";

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json;charset=UTF-8" });
  response.end(JSON.stringify(body));
}

/** The state as the side path shows it: API keys are replaced, so a dump can go into any log. */
export function publicState(state: SimulatorState): SimulatorState {
  const copy = structuredClone(state);
  for (const institution of Object.values(copy.institutions)) institution.apikey = "***";
  return copy;
}

function shownFault(rule: FaultRule): FaultRule {
  return rule.path instanceof RegExp ? { ...rule, path: rule.path.source } : rule;
}

function parseJson(text: string): unknown {
  return text.trim() === "" ? {} : JSON.parse(text);
}

/**
 * `GET /__sandbox/state`, `GET /__sandbox/calls?method=&path=&institution=`, `GET|POST /__sandbox/faults`,
 * `POST /__sandbox/reset` (optional body `{ "fixture": … }`), `GET /__sandbox/limits`. No API key needed.
 */
export function handleSidePath(
  control: SandboxControl,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  bodyText: string,
): void {
  const route = `${request.method ?? "GET"} ${url.pathname.slice(SIDE_PATH_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case "GET /state":
        return sendJson(response, 200, publicState(control.state));
      case "GET /calls": {
        const filter: CallFilter = {};
        const method = url.searchParams.get("method");
        const path = url.searchParams.get("path");
        const institution = url.searchParams.get("institution");
        if (method) filter.method = method;
        if (path) filter.path = path;
        if (institution) filter.institution = institution;
        return sendJson(response, 200, { calls: control.callsMatching(filter) });
      }
      case "GET /faults":
        return sendJson(response, 200, { faults: control.faults.map(shownFault) });
      case "POST /faults": {
        const parsed = faultSetSchema.safeParse(parseJson(bodyText));
        if (!parsed.success) return sendJson(response, 400, { error: parsed.error.issues });
        control.setFaults(
          parsed.data.faults,
          parsed.data.seed === undefined ? {} : { seed: parsed.data.seed },
        );
        return sendJson(response, 200, { faults: control.faults.map(shownFault) });
      }
      case "POST /reset": {
        const body = parseJson(bodyText) as { fixture?: AlmaFixture };
        control.reset(body.fixture);
        return sendJson(response, 200, { reset: true });
      }
      case "GET /limits": {
        const remaining = Object.fromEntries(
          Object.keys(control.state.institutions).map((code) => [
            code,
            { remaining: control.remaining(code) },
          ]),
        );
        return sendJson(response, 200, { institutions: remaining });
      }
      default:
        return sendJson(response, 404, { error: `no side path ${route}` });
    }
  } catch (error) {
    sendJson(response, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}
