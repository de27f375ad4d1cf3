import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createAlmaClients } from "../../src/alma/create-alma-clients.js";
import { validateConfig, type Config } from "../../src/config/index.js";
import { syncItems } from "../../src/jobs/sync-items/index.js";
import type { PendingLoan } from "../../src/jobs/sync-items/loan-journal.js";
import type { MarcRecord } from "../../src/marc/record.js";
import { silentLogger } from "../../src/runtime/logger.js";
import type { RunSummary } from "../../src/runtime/run-report.js";
import {
  DEFAULT_API_KEYS,
  defaultFixture,
  startAlmaSimulator,
  type AlmaFixture,
  type AlmaSimulator,
  type InstitutionState,
} from "../../src/sandbox/alma/index.js";
import {
  sftpConfigSection,
  startSftpServer,
  type RunningSftpServer,
} from "../../src/sandbox/transfer/index.js";
import { collectionXml, writePublishingTarGz, type TarEntry } from "../helpers/publishing-file.js";
import { makeTempDir } from "../helpers/temp-dir.js";

export const AB = "01AAA_AB";
export const SCF = "01AAA_RS";

/** One entry of a tar.gz: MARC records written as MARC-XML, or a text as it is. */
export type { TarEntry } from "../helpers/publishing-file.js";

/**
 * sync-items run in-process against the Alma simulator, on local files (`--file`), or with `sftp` on the files
 * waiting in `{main_folder}/01AAA_AB/items/` of an SFTP server.
 */
export interface SyncWorld {
  dir: string;
  sim: AlmaSimulator;
  config: Config;
  /** Writes a MARC-XML publishing file into the temp folder and returns its path. */
  writeFile(name: string, records: MarcRecord[]): Promise<string>;
  /** Writes a tar.gz into `dir` (default: the temp folder) and returns its path. */
  writeTarGz(name: string, entries: TarEntry[], dir?: string): Promise<string>;
  /** With `sftp`: the local folder the server shows as `{main_folder}/01AAA_AB/items`. */
  itemsFolder: string;
  /** With `sftp`: the file names waiting in the items folder and archived in its OLD/ folder. */
  remoteFiles(): Promise<{ waiting: string[]; archived: string[] }>;
  /** Runs on the given local files, or with none on the SFTP server's. */
  run(files: readonly string[], options?: { dryRun?: boolean; signal?: AbortSignal }): Promise<RunSummary>;
  /** Writes the loan journal as a run that died after creating these items would have left it. */
  oweLoans(entries: PendingLoan[]): Promise<void>;
  scf(): InstitutionState;
  /** The calls that changed something, in any institution. */
  writes(): { method: string; path: string }[];
  close(): Promise<void>;
}

export interface SyncWorldOptions {
  fixture?: AlmaFixture;
  /** Changes to the configuration before it is validated. */
  config?: (raw: Record<string, unknown>) => void;
  /** Starts an SFTP server and configures `ftp_server` for it. */
  sftp?: boolean;
}

export async function makeSyncWorld(options: SyncWorldOptions = {}): Promise<SyncWorld> {
  const { dir, cleanup } = await makeTempDir("alma-rs-sync-items-");
  const sim = await startAlmaSimulator({
    fixture: options.fixture ?? defaultFixture,
    onInternalError: (error) => console.error(error),
  });
  const sftp: RunningSftpServer | undefined = options.sftp
    ? await startSftpServer({ root: path.join(dir, "sftp") })
    : undefined;
  const itemsFolder = path.join(dir, "sftp", "alma", AB, "items");
  const raw: Record<string, unknown> = {
    gateway: sim.url,
    state_dir: path.join(dir, "state"),
    main_local_folder: path.join(dir, "work"),
    report_file_folder: path.join(dir, "reports"),
    alma: { retry_initial_delay_ms: 1, retry_max_delay_ms: 4, retry_max_total_ms: 2000 },
    remote_storage_inst: SCF,
    remote_storage_apikey: DEFAULT_API_KEYS[SCF],
    remote_storage_holding_library: "RS",
    remote_storage_holding_location: "rs_shared",
    remote_storage_circ_desc: "DEFAULT_CIRC_DESK",
    institutions: [
      {
        code: AB,
        apikey: DEFAULT_API_KEYS[AB],
        default_library: "ABRS",
        libraries: [
          { code: "ABMAIN", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: [] },
          { code: "ABRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs", "rs_annex"] },
        ],
      },
    ],
    sync_items: { loan_delay_ms: 20 },
    ...(sftp
      ? {
          ftp_server: sftpConfigSection(sftp),
        }
      : {}),
  };
  options.config?.(raw);
  const config = validateConfig(raw, { source: "test", baseDir: dir, env: {} }).config;
  return {
    dir,
    sim,
    config,
    writeFile: async (name, records) => {
      const file = path.join(dir, name);
      await writeFile(file, collectionXml(records));
      return file;
    },
    writeTarGz: (name, entries, folder = dir) => writePublishingTarGz(dir, name, entries, folder),
    itemsFolder,
    remoteFiles: async () => {
      const names = (folder: string) => readdir(folder).catch(() => [] as string[]);
      const waiting = (await names(itemsFolder)).filter((name) => name !== "OLD");
      return { waiting: waiting.sort(), archived: (await names(path.join(itemsFolder, "OLD"))).sort() };
    },
    run: (files, runOptions = {}) => {
      const logger = silentLogger();
      // The limiter's second shrunk to 50 ms: the pacing stays, the tests do not wait for it.
      const signal = runOptions.signal ?? new AbortController().signal;
      const alma = createAlmaClients(config, logger, {
        limiter: { secondMs: 50 },
        random: () => 0.5,
        signal,
      });
      return syncItems(
        {
          config,
          logger,
          dryRun: runOptions.dryRun ?? false,
          progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
          signal,
        },
        { institution: AB, files: [...files], alma },
      );
    },
    oweLoans: async (entries) => {
      const folder = path.join(config.state_dir, "sync-items", AB);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, "pending-loans.json"), JSON.stringify(entries));
    },
    scf: () => sim.institution(SCF),
    writes: () =>
      sim.calls
        .filter((call) => call.method !== "GET")
        .map((call) => ({ method: call.method, path: call.path })),
    close: async () => {
      await sim.stop();
      await sftp?.close();
      await cleanup();
    },
  };
}

/** The run's CSV report, as text. */
export function csvReport(summary: RunSummary): Promise<string> {
  return readFile(summary.csvReport!, "utf8");
}
