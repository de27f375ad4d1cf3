import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createAlmaClients } from "../../src/alma/create-alma-clients.js";
import { validateConfig, type Config } from "../../src/config/index.js";
import { sendRequests } from "../../src/jobs/send-requests/run.js";
import { RS_EXPORT_NAMESPACE } from "../../src/jobs/send-requests/source-request.js";
import type { Logger } from "../../src/runtime/logger.js";
import { silentLogger } from "../../src/runtime/logger.js";
import type { RunSummary } from "../../src/runtime/run-report.js";
import {
  startAlmaSimulator,
  type AlmaSimulator,
  type RequestRecord,
  type UserRecord,
} from "../../src/sandbox/alma/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { consortiumFixture, MEMBER, OTHER_MEMBER, SCF } from "./consortium.js";

/** The fields of one `xb:rsExport`, written in this order. */
export interface ExportFields {
  requestType: string;
  requestId?: string;
  barcode?: string;
  mmsId?: string;
  description?: string;
  institutionCode?: string;
  pickupLibrary?: string;
  libraryCode?: string;
  patronName?: string;
  patronIdentifier?: string;
  patronEmail?: string;
  patronAddress?: string;
  requestNote?: string;
}

/** An export file's text: indented like Alma's own files, or all on one line. */
export function exportXml(
  requests: readonly ExportFields[],
  layout: "indented" | "compact" = "indented",
): string {
  const nl = layout === "indented" ? "\n" : "";
  const pad = (depth: number) => (layout === "indented" ? "  ".repeat(depth) : "");
  const element = (depth: number, name: string, value: string | undefined) =>
    value === undefined ? "" : `${pad(depth)}<xb:${name}>${escape(value)}</xb:${name}>${nl}`;
  const body = requests
    .map((r) => {
      const patron =
        (r.patronName ?? r.patronIdentifier ?? r.patronEmail ?? r.patronAddress)
          ? `${pad(2)}<xb:patronInfo>${nl}` +
            element(3, "patronName", r.patronName) +
            element(3, "patronIdentifier", r.patronIdentifier) +
            element(3, "patronEmail", r.patronEmail) +
            element(3, "patronAddress", r.patronAddress) +
            `${pad(2)}</xb:patronInfo>${nl}`
          : "";
      const pickup =
        r.pickupLibrary === undefined
          ? ""
          : `${pad(2)}<xb:pickup>${nl}${element(3, "library", r.pickupLibrary)}${pad(2)}</xb:pickup>${nl}`;
      return (
        `${pad(1)}<xb:rsExport>${nl}` +
        element(2, "requestType", r.requestType) +
        element(2, "requestId", r.requestId) +
        pickup +
        element(2, "barcode", r.barcode) +
        element(2, "mmsId", r.mmsId) +
        element(2, "description", r.description) +
        element(2, "institutionCode", r.institutionCode) +
        patron +
        element(2, "libraryCode", r.libraryCode) +
        element(2, "requestNote", r.requestNote) +
        `${pad(1)}</xb:rsExport>${nl}`
      );
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xb:rsExportList xmlns:xb="${RS_EXPORT_NAMESPACE}">${nl}${body}</xb:rsExportList>\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export interface World {
  dir: string;
  sim: AlmaSimulator;
  config: Config;
  /** The configuration as written to `configFile` (for CLI runs). */
  raw: Record<string, unknown>;
  configFile: string;
  /** Writes an export into the temp folder and returns its path. */
  writeExport(
    name: string,
    requests: readonly ExportFields[],
    layout?: "indented" | "compact",
  ): Promise<string>;
  run(
    files: readonly string[],
    options?: { dryRun?: boolean; logger?: Logger; signal?: AbortSignal },
  ): Promise<RunSummary>;
  /** The SCF's requests (created by the job: fixture has none). */
  scfRequests(): RequestRecord[];
  memberRequest(requestId: string): RequestRecord;
  scfUsers(): UserRecord[];
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Changes to the configuration before it is validated. */
  config?: (raw: Record<string, unknown>) => void;
}

export async function makeWorld(options: WorldOptions = {}): Promise<World> {
  const { dir, cleanup } = await makeTempDir("alma-rs-send-requests-");
  const fixture = consortiumFixture();
  const sim = await startAlmaSimulator({ fixture, onInternalError: (error) => console.error(error) });
  const key = (code: string) => fixture.institutions.find((inst) => inst.code === code)!.apikey;
  const raw: Record<string, unknown> = {
    gateway: sim.url,
    state_dir: path.join(dir, "state"),
    main_local_folder: path.join(dir, "work"),
    report_file_folder: path.join(dir, "reports"),
    log: { folder: path.join(dir, "logs"), level: "error" },
    alma: { retry_initial_delay_ms: 1, retry_max_delay_ms: 4, retry_max_total_ms: 2000 },
    remote_storage_inst: SCF,
    remote_storage_apikey: key(SCF),
    remote_storage_holding_library: "RS",
    remote_storage_holding_location: "rs_shared",
    remote_storage_circ_desc: "DEFAULT_CIRC_DESK",
    remote_storage_digitization_department: "DIGI_DEPT",
    institutions: [
      {
        code: MEMBER,
        apikey: key(MEMBER),
        default_library: "ABRS",
        libraries: [{ code: "ABRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs"] }],
      },
      { code: OTHER_MEMBER, apikey: key(OTHER_MEMBER), default_library: "CDRS", libraries: [] },
    ],
  };
  options.config?.(raw);
  const config = validateConfig(raw, { source: "test", baseDir: dir }).config;
  const configFile = path.join(dir, "conf.json");
  await writeFile(configFile, JSON.stringify(raw, null, 2));
  return {
    dir,
    sim,
    config,
    raw,
    configFile,
    writeExport: async (name, requests, layout) => {
      const file = path.join(dir, name);
      await writeFile(file, exportXml(requests, layout));
      return file;
    },
    run: (files, runOptions = {}) => {
      const logger = runOptions.logger ?? silentLogger();
      // The limiter's second shrunk to 50 ms: the pacing stays, the tests do not wait for it.
      const signal = runOptions.signal ?? new AbortController().signal;
      const alma = createAlmaClients(config, logger, {
        limiter: { secondMs: 50 },
        random: () => 0.5,
        signal,
      });
      return sendRequests(
        {
          config,
          logger,
          dryRun: runOptions.dryRun ?? false,
          progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
          signal,
        },
        { institution: MEMBER, files, alma },
      );
    },
    scfRequests: () => sim.institution(SCF).requests,
    memberRequest: (requestId) => {
      const found = sim.institution(MEMBER).requests.find((record) => record.request_id === requestId);
      if (!found) throw new Error(`no member request ${requestId}`);
      return found;
    },
    scfUsers: () => sim.institution(SCF).users,
    close: async () => {
      await sim.stop();
      await cleanup();
    },
  };
}
