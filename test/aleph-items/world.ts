import { readFile } from "node:fs/promises";
import path from "node:path";
import { validateConfig, type Config } from "../../src/config/index.js";
import { runAlephItems, type AlephItemsOptions, type Checkpoint } from "../../src/jobs/aleph-items/index.js";
import { silentLogger } from "../../src/runtime/logger.js";
import type { RunSummary } from "../../src/runtime/run-report.js";
import {
  AlephSimulator,
  type AlephSimulatorOptions,
  type SeededItem,
} from "../../src/sandbox/aleph/index.js";
import { CaiasoftSimulator, type CaiasoftSimulatorOptions } from "../../src/sandbox/caiasoft/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";

export const API_KEY = "sim-caiasoft-key-0001";

export interface WorldOptions {
  aleph?: AlephSimulatorOptions;
  caiasoft?: Partial<CaiasoftSimulatorOptions>;
  /** Overrides of the configuration file's content. */
  config?: (raw: Record<string, unknown>) => void;
}

/** Both simulators on loopback, a temp state folder, and a configuration pointing at them. */
export interface World {
  dir: string;
  aleph: AlephSimulator;
  caiasoft: CaiasoftSimulator;
  /** The configuration file's content (written by `writeConfig`). */
  raw: Record<string, unknown>;
  config: Config;
  stateFile: string;
  run(options?: AlephItemsOptions & { dryRun?: boolean; signal?: AbortSignal }): Promise<RunSummary>;
  checkpoint(): Promise<Checkpoint>;
  close(): Promise<void>;
}

const fastRetries = { retry_initial_delay_ms: 1, retry_max_delay_ms: 4 };

export async function makeWorld(options: WorldOptions = {}): Promise<World> {
  const { dir, cleanup } = await makeTempDir("alma-rs-aleph-items-");
  const aleph = new AlephSimulator(options.aleph);
  const caiasoft = new CaiasoftSimulator({ apiKey: API_KEY, ...options.caiasoft });
  const itemsUrl = await aleph.start();
  const baseUrl = await caiasoft.start();
  const raw: Record<string, unknown> = {
    state_dir: path.join(dir, "state"),
    report_file_folder: path.join(dir, "reports"),
    log: { folder: path.join(dir, "logs") },
    aleph: {
      items_url: itemsUrl,
      default_start: "20200101",
      timeout_ms: 2000,
      keep_run_files_days: 30,
      ...fastRetries,
    },
    caiasoft: { base_url: baseUrl, api_key: API_KEY, batch_size: 500, timeout_ms: 2000, ...fastRetries },
  };
  options.config?.(raw);
  const config = validateConfig(raw, { source: "test", baseDir: dir }).config;
  const stateFile = path.join(config.state_dir, "aleph-items", "state.json");
  return {
    dir,
    aleph,
    caiasoft,
    raw,
    config,
    stateFile,
    run: ({ dryRun, signal, ...jobOptions } = {}) =>
      runAlephItems(
        {
          config,
          logger: silentLogger(),
          dryRun: dryRun ?? false,
          progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
          signal: signal ?? new AbortController().signal,
        },
        { retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 }, ...jobOptions },
      ),
    checkpoint: async () => JSON.parse(await readFile(stateFile, "utf8")) as Checkpoint,
    close: async () => {
      await aleph.stop();
      await caiasoft.stop();
      await cleanup();
    },
  };
}

/** `count` items created at `created`, barcodes `${prefix}0001`… (sorted as numbered). */
export function seedItems(count: number, created: string, prefix = "3143"): SeededItem[] {
  return Array.from({ length: count }, (_, i) => ({
    barcode: `${prefix}${String(i + 1).padStart(4, "0")}`,
    created,
    fields: { title: `Title ${i + 1}`, call_number: `QA${i + 1}`, collection: "OTHER - CPMCK STACK" },
  }));
}

/** The barcodes CaiaSoft processed at an endpoint, call by call. */
export function processedBarcodes(
  caiasoft: CaiasoftSimulator,
  endpoint: "incomingitems" | "itemupdates",
): string[][] {
  return caiasoft.processed(endpoint).map((call) => call.items.map((item) => String(item.barcode)));
}
