import path from "node:path";
import { DEFAULT_API_KEYS } from "../alma/index.js";
import { sftpConfigSection } from "../transfer/index.js";
import { ALEPH_DEFAULT_START } from "./aleph-history.js";
import { AB, CD, SCF } from "./fixture.js";
import { ASPACE_FOLDER, ASPACE_OUTPUT, BARCODE_REPORT, MAIN_FOLDER } from "./seed-files.js";

/** Where the simulators listen and how to log in to them. */
export interface SandboxEndpoints {
  almaGateway: string;
  sftp: { host: string; port: number; user: string; password: string; hostKeySha256: string };
  aspace: { baseUrl: string; username: string; password: string };
  alephItemsUrl: string;
  caiasoft: { baseUrl: string; apiKey: string };
  webhook: { port: number; secret: string };
}

/** The publishing and request-export job ids of each member (the default fixture's `GET /conf/jobs`). */
export const JOB_IDS = {
  [AB]: { publishing_job_id: "S987654321", requests_job_id: "S123456789" },
  [CD]: { publishing_job_id: "S987654322", requests_job_id: "S123456790" },
} as const;

/**
 * The configuration of the sandbox: every section filled and pointing at the simulators, state and logs under
 * `dir`. Plain JSON, written as is by `alma-rs sandbox --write-config`.
 */
export function sandboxConfig(endpoints: SandboxEndpoints, dir: string): Record<string, unknown> {
  const stateDir = path.join(dir, "state");
  return {
    gateway: endpoints.almaGateway,
    state_dir: stateDir,
    log: { folder: path.join(stateDir, "logs"), keep_days: 7 },
    max_number_of_threads: 4,
    ftp_server: { ...sftpConfigSection(endpoints.sftp, MAIN_FOLDER), timeout_ms: 10_000 },
    remote_storage_inst: SCF,
    remote_storage_apikey: DEFAULT_API_KEYS[SCF],
    remote_storage_holding_library: "RS",
    remote_storage_holding_location: "rs_shared",
    remote_storage_circ_desc: "DEFAULT_CIRC_DESK",
    remote_storage_digitization_department: "DIGI_DEPT",
    webhook_secret: endpoints.webhook.secret,
    ignore_delete_files: "false",
    institutions: [
      {
        code: AB,
        apikey: DEFAULT_API_KEYS[AB],
        ...JOB_IDS[AB],
        default_library: "ABRS",
        libraries: [
          { code: "ABRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs", "rs_annex"] },
          { code: "ABMAIN", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: [] },
        ],
      },
      {
        code: CD,
        apikey: DEFAULT_API_KEYS[CD],
        ...JOB_IDS[CD],
        default_library: "CDRS",
        libraries: [
          { code: "CDRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs"] },
          { code: "CDMAIN", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: [] },
        ],
      },
    ],
    alma: {
      connect_timeout_ms: 5_000,
      read_timeout_ms: 30_000,
      retry_initial_delay_ms: 200,
      retry_max_delay_ms: 2_000,
      retry_max_total_ms: 20_000,
    },
    // Alma needs a moment before a new item can be loaned; the simulator does not.
    sync_items: { concurrency: 4, loan_delay_ms: 100 },
    aspace: {
      base_url: endpoints.aspace.baseUrl,
      username: endpoints.aspace.username,
      password: endpoints.aspace.password,
      timeout_ms: 10_000,
      output_dir: ASPACE_FOLDER,
      output_file: ASPACE_OUTPUT,
      barcodes: { source: "report", report_file: BARCODE_REPORT },
    },
    aleph: {
      items_url: endpoints.alephItemsUrl,
      default_start: ALEPH_DEFAULT_START,
      timeout_ms: 10_000,
      retry_attempts: 3,
      retry_initial_delay_ms: 200,
      retry_max_delay_ms: 2_000,
    },
    caiasoft: {
      base_url: endpoints.caiasoft.baseUrl,
      api_key: endpoints.caiasoft.apiKey,
      batch_size: 500,
      timeout_ms: 10_000,
      retry_attempts: 3,
      retry_initial_delay_ms: 200,
      retry_max_delay_ms: 2_000,
    },
    webhook: {
      host: "127.0.0.1",
      port: endpoints.webhook.port,
      max_attempts: 3,
      retry_delay_ms: 1_000,
    },
  };
}
