import { mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { AspaceClient } from "../../src/aspace/client.js";
import { validateConfig, type Config } from "../../src/config/index.js";
import type { AlmaSetReader } from "../../src/jobs/aspace2alma/alma-barcodes.js";
import {
  runAspace2Alma,
  type Aspace2AlmaOptions,
  type Aspace2AlmaSources,
} from "../../src/jobs/aspace2alma/job.js";
import type { Logger } from "../../src/runtime/logger.js";
import type { RunSummary } from "../../src/runtime/run-report.js";
import {
  AspaceSimulator,
  aspaceSeedRepositories,
  SEED_ALMA_BARCODES,
  type AspaceSimulatorOptions,
} from "../../src/sandbox/aspace/index.js";
import {
  sftpConfigSection,
  startSftpServer,
  type RunningSftpServer,
} from "../../src/sandbox/transfer/sftp-server.js";
import { createFileTransfer } from "../../src/transfer/create-transfer.js";
import { memoryLogger, type LogEntry } from "../alma/helpers/memory-logger.js";
import { makeTempDir } from "../helpers/temp-dir.js";

export const OUTPUT_DIR = "/alma/aspace";
export const YESTERDAY = "<collection><!-- yesterday's export --></collection>\n";

/** The Analytics report as Alma writes it: UTF-8 BOM, CRLF, header `Barcode`. */
export function analyticsReport(barcodes: readonly string[]): string {
  return "\uFEFFBarcode\r\n" + barcodes.map((b) => `${b}\r\n`).join("");
}

/** The configuration file's content, with the sections tests change. */
export interface RawConfig {
  aspace: Record<string, unknown>;
  [key: string]: unknown;
}

export interface WorldOptions {
  simulator?: Partial<AspaceSimulatorOptions>;
  /** Overrides of the configuration file's content. */
  config?: (raw: RawConfig) => void;
  /** The barcode report on the file server (default: the seed's); null: none. */
  report?: string | null;
  /** Yesterday's MARC_out.xml on the file server (default: one); null: none. */
  yesterday?: string | null;
  /** Members of the Alma set, for `barcodes.source: set`. */
  setMembers?: AlmaSetReader;
  logger?: Logger;
}

/** The ArchivesSpace simulator and an in-process SFTP server on loopback, and a configuration pointing at them. */
export interface World {
  dir: string;
  aspace: AspaceSimulator;
  sftp: RunningSftpServer;
  config: Config;
  aspaceClient: AspaceClient;
  /** What the runs logged (none when `options.logger` is given). */
  logEntries: LogEntry[];
  /** A path on the file server, as a local path in the served folder. */
  served(remotePath: string): string;
  readServed(remotePath: string): Promise<string>;
  existsServed(remotePath: string): boolean;
  run(options?: Aspace2AlmaOptions & { dryRun?: boolean; signal?: AbortSignal }): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function makeWorld(options: WorldOptions = {}): Promise<World> {
  const { dir, cleanup } = await makeTempDir("alma-rs-aspace2alma-");
  const aspace = await AspaceSimulator.start({
    repositories: aspaceSeedRepositories(),
    username: "alma-export",
    password: "aspace-Secret-pw",
    ...options.simulator,
  });
  const sftpRoot = path.join(dir, "sftp");
  await mkdir(path.join(sftpRoot, OUTPUT_DIR), { recursive: true });
  const sftp = await startSftpServer({ root: sftpRoot, user: "alma", password: "sftp-Secret-pw" });
  const served = (remotePath: string) => path.join(sftpRoot, remotePath);
  if (options.report !== null) {
    await writeFile(
      served(`${OUTPUT_DIR}/sc_active_barcodes.csv`),
      options.report ?? analyticsReport(SEED_ALMA_BARCODES),
    );
  }
  if (options.yesterday !== null) {
    await writeFile(served(`${OUTPUT_DIR}/MARC_out.xml`), options.yesterday ?? YESTERDAY);
  }
  const raw: RawConfig = {
    state_dir: path.join(dir, "state"),
    report_file_folder: path.join(dir, "reports"),
    log: { folder: path.join(dir, "logs") },
    ftp_server: sftpConfigSection(sftp),
    aspace: {
      base_url: aspace.url,
      username: "alma-export",
      password: "aspace-Secret-pw",
      output_dir: OUTPUT_DIR,
    },
  };
  options.config?.(raw);
  const config = validateConfig(raw, { source: "test", baseDir: dir }).config;
  const memory = memoryLogger();
  const logger = options.logger ?? memory.logger;
  // As in production (sources.ts), the client stops its requests and retry pauses when the run's signal fires.
  const clientFor = (signal?: AbortSignal) =>
    new AspaceClient({
      baseUrl: config.aspace!.base_url,
      username: config.aspace!.username,
      password: config.aspace!.password,
      timeoutMs: 5_000,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 4,
      logger,
      signal,
    });
  const aspaceClient = clientFor();
  const sources: Aspace2AlmaSources = {
    aspace: aspaceClient,
    fileServer: () => createFileTransfer(sftp.settings(), { logger }),
    almaSet: () => {
      if (!options.setMembers) throw new Error("no Alma set in this world");
      return options.setMembers;
    },
  };
  return {
    dir,
    aspace,
    sftp,
    config,
    aspaceClient,
    logEntries: memory.entries,
    served,
    readServed: (remotePath) => readFile(served(remotePath), "utf8"),
    existsServed: (remotePath) => existsSync(served(remotePath)),
    run: ({ dryRun, signal, ...jobOptions } = {}) =>
      runAspace2Alma(
        {
          config,
          logger,
          dryRun: dryRun ?? false,
          progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
          signal: signal ?? new AbortController().signal,
        },
        jobOptions,
        signal ? { ...sources, aspace: clientFor(signal) } : sources,
      ),
    close: async () => {
      await aspace.close();
      await sftp.close();
      await cleanup();
    },
  };
}
