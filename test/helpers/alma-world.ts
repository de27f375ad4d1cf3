import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  DEFAULT_API_KEYS,
  defaultFixture,
  startAlmaSimulator,
  type AlmaFixture,
  type AlmaSimulator,
  type AlmaSimulatorOptions,
} from "../../src/sandbox/alma/index.js";
import {
  sftpConfigSection,
  startSftpServer,
  type RunningSftpServer,
} from "../../src/sandbox/transfer/index.js";
import { makeTempDir } from "./temp-dir.js";

/** The default consortium's configuration (conf.example.json's codes), pointed at the running simulators. */
export function consortiumConfig(
  sim: AlmaSimulator,
  sftp: RunningSftpServer,
  dir: string,
): Record<string, unknown> {
  return {
    gateway: sim.url,
    state_dir: path.join(dir, "state"),
    ftp_server: sftpConfigSection(sftp),
    remote_storage_inst: "01AAA_RS",
    remote_storage_apikey: DEFAULT_API_KEYS["01AAA_RS"],
    remote_storage_holding_library: "RS",
    remote_storage_holding_location: "rs_shared",
    remote_storage_circ_desc: "DEFAULT_CIRC_DESK",
    remote_storage_digitization_department: "DIGI_DEPT",
    webhook_secret: "sandbox-webhook-secret",
    ignore_delete_files: "false",
    institutions: [
      {
        code: "01AAA_AB",
        apikey: DEFAULT_API_KEYS["01AAA_AB"],
        publishing_job_id: "S987654321",
        requests_job_id: "S123456789",
        default_library: "ABRS",
        libraries: [
          { code: "ABMAIN", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: [] },
          { code: "ABRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs", "rs_annex"] },
        ],
      },
      {
        code: "01AAA_CD",
        apikey: DEFAULT_API_KEYS["01AAA_CD"],
        publishing_job_id: "S987654322",
        requests_job_id: "S123456790",
        default_library: "CDRS",
        libraries: [{ code: "CDRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs"] }],
      },
    ],
    alma: { retry_initial_delay_ms: 20, retry_max_delay_ms: 200, retry_max_total_ms: 10_000 },
    sync_items: { loan_delay_ms: 50 },
  };
}

/** An Alma simulator, an SFTP server and a config file for them, in a temp folder. */
export interface AlmaWorld {
  dir: string;
  sim: AlmaSimulator;
  sftp: RunningSftpServer;
  configFile: string;
  /** Where `{main_folder}` is on the local disk (the SFTP server's root + /alma). */
  mainFolder: string;
  /** Rewrites the config file with changes merged into the default (shallow, per top-level key). */
  writeConfig(changes?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startAlmaWorld(
  options: { fixture?: AlmaFixture; sim?: Omit<AlmaSimulatorOptions, "fixture"> } = {},
): Promise<AlmaWorld> {
  const { dir, cleanup } = await makeTempDir("alma-rs-world-");
  const sim = await startAlmaSimulator({ fixture: options.fixture ?? defaultFixture, ...options.sim });
  const sftp = await startSftpServer({ root: path.join(dir, "sftp") });
  const mainFolder = path.join(dir, "sftp", "alma");
  const configFile = path.join(dir, "conf.json");
  const world: AlmaWorld = {
    dir,
    sim,
    sftp,
    configFile,
    mainFolder,
    async writeConfig(changes = {}) {
      await writeFile(
        configFile,
        JSON.stringify({ ...consortiumConfig(sim, sftp, dir), ...changes }, null, 2),
      );
    },
    async close() {
      await sim.stop();
      await sftp.close();
      await cleanup();
    },
  };
  await mkdir(mainFolder, { recursive: true });
  await world.writeConfig();
  return world;
}
