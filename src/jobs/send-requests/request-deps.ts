import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import type { InstitutionAlma, SendRequestsAlma } from "./alma-port.js";
import type { LinkedUsers } from "./linked-users.js";
import type { PickupLibraries } from "./pickup-library.js";
import type { Route } from "./route.js";

/** The SCF settings the requests need. */
export interface ScfRequestSettings {
  /** `remote_storage_digitization_department`: where digitization requests go. */
  digitizationDepartment: string | undefined;
  /** `remote_storage_holding_library` / `_location`: the holding a manual description points at. */
  holdingLibrary: string | undefined;
  holdingLocation: string | undefined;
}

/** What the request handlers work with, for one run. */
export interface RequestDeps {
  alma: SendRequestsAlma;
  /** The institution that exported the requests. */
  sourceInstitution: string;
  source: InstitutionAlma;
  pickupLibraries: PickupLibraries;
  linkedUsers: LinkedUsers;
  settings: ScfRequestSettings;
  dryRun: boolean;
  report: RunReport;
  logger: Logger;
}

/** What handling one request has learned so far: the failure path cancels the source request with it. */
export interface RequestFacts {
  /** The source request's bib in the member institution (the export's, or read from the request). */
  mmsId?: string;
  /** The patron's primary id in the member institution. */
  userPrimaryId?: string;
}

/** How one request ended when it did not fail. */
export type Outcome =
  | { kind: "created"; route: Route; scfRequestId: string; target: string }
  | { kind: "existing"; route: Route; scfRequestId: string; target: string }
  | { kind: "planned"; route: Route; target: string }
  /** `planned`: with --dry-run, the cancellation is only planned (and counted as such). */
  | { kind: "cancelled"; route: Route; why: string; planned: boolean };
