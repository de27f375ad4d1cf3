/**
 * `npm run bench sync-items`: sync-items against the Alma simulator answering every call after 200 ms, with
 * Alma's 25 calls/s per institution. Items: half updates (half of those unchanged), 40 % creates under titles
 * the SCF has, 10 % creates of new titles. Prints SCF calls/s ÷ 25 (target ≥ 0.9), items/s, calls per item by
 * kind, 429s (target 0), and the same figures for the Java app's model (4 workers, a blocking 3 s sleep before
 * each loan) on a sample of the same mix. BENCH_ITEMS (default 2000) and BENCH_BASELINE_ITEMS (default 200).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createAlmaClients } from "../../src/alma/create-alma-clients.js";
import { validateConfig } from "../../src/config/validate.js";
import { syncItemsAlma } from "../../src/jobs/sync-items/alma-adapter.js";
import { localInputFile } from "../../src/jobs/sync-items/input-file.js";
import { runSyncItems } from "../../src/jobs/sync-items/job.js";
import type { SyncItemsAlma } from "../../src/jobs/sync-items/scf-port.js";
import { sleep } from "../../src/runtime/backoff.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { createProgress } from "../../src/runtime/progress.js";
import { DEFAULT_API_KEYS, startAlmaSimulator } from "../../src/sandbox/alma/index.js";
import { collectionXml } from "../../test/helpers/publishing-file.js";
import { benchConsortium } from "./fixture.js";

const LATENCY_MS = 200;
const LIMIT = 25;
const TARGET = 0.9;

interface Model {
  name: string;
  concurrency: number;
  /** Wraps the Alma operations (the Java model blocks its worker 3 s before each loan). */
  wrap?: (alma: SyncItemsAlma) => SyncItemsAlma;
  loanDelayMs: number;
  /** The reference model: its ratio is printed for comparison, not held to the target. */
  baseline?: boolean;
}

async function run(items: number, model: Model): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "alma-rs-bench-sync-"));
  const { fixture, records, plan } = benchConsortium({ items });
  const sim = await startAlmaSimulator({
    fixture,
    rateLimitPerSecond: LIMIT,
    dailyBudget: 10_000_000,
    faults: [{ kind: "latency", ms: LATENCY_MS }],
  });
  try {
    const file = path.join(dir, "pub_bench_new.xml");
    await writeFile(file, collectionXml(records));
    const { config } = validateConfig(
      {
        gateway: sim.url,
        state_dir: path.join(dir, "state"),
        remote_storage_inst: "01AAA_RS",
        remote_storage_apikey: DEFAULT_API_KEYS["01AAA_RS"],
        remote_storage_holding_library: "RS",
        remote_storage_holding_location: "rs_shared",
        remote_storage_circ_desc: "DEFAULT_CIRC_DESK",
        institutions: [
          {
            code: "01AAA_AB",
            apikey: DEFAULT_API_KEYS["01AAA_AB"],
            libraries: [{ code: "ABRS", remote_storage_location: ["rs"] }],
          },
        ],
        sync_items: { concurrency: model.concurrency, loan_delay_ms: model.loanDelayMs },
      },
      { source: "bench", baseDir: dir },
    );
    const logger = silentLogger();
    const clients = createAlmaClients(config, logger);
    const alma = syncItemsAlma(clients, config, "01AAA_AB");
    const started = process.hrtime.bigint();
    const summary = await runSyncItems(
      {
        config,
        logger,
        dryRun: false,
        progress: () => createProgress({ quiet: true }),
        signal: new AbortController().signal,
      },
      { institution: "01AAA_AB" },
      { alma: model.wrap ? model.wrap(alma) : alma, inputs: () => Promise.resolve([localInputFile(file)]) },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const scfCalls = sim.calls.filter((c) => c.institution === "01AAA_RS");
    const throttled = sim.calls.filter((c) => c.status === 429).length;
    const kinds = new Map<string, number>();
    for (const call of scfCalls) {
      const kind = `${call.method} ${call.path.replace(/\/almaws\/v1\//, "").replace(/\d{6,}/g, "{id}")}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const ratio = scfCalls.length / seconds / LIMIT;
    console.log(
      `\n${model.name}: ${items} items (${plan.updates} updates, ${plan.createsExisting} creates on existing bibs, ${plan.createsNew} on new bibs)`,
    );
    console.log(`  outcomes: ${JSON.stringify(summary.counts)}; failures: ${summary.failures.length}`);
    console.log(
      `  ${seconds.toFixed(1)} s, ${(items / seconds).toFixed(2)} items/s, SCF ${(scfCalls.length / seconds).toFixed(1)} calls/s`,
    );
    console.log(
      `  SCF calls/s ÷ ${LIMIT} = ${ratio.toFixed(2)} ${model.baseline ? "(baseline)" : `(target ≥ ${TARGET}: ${ratio >= TARGET ? "met" : "NOT met"})`}; 429s: ${throttled} (target 0)`,
    );
    console.log(
      `  SCF calls per item: ${(scfCalls.length / items).toFixed(2)}; member calls per item: ${(sim.calls.filter((c) => c.institution === "01AAA_AB").length / items).toFixed(2)}`,
    );
    for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1])) {
      console.log(`    ${(count / items).toFixed(3)} × ${kind}`);
    }
  } finally {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const javaModel: Model = {
  name: "Java app's model (4 workers, blocking 3 s before each loan)",
  concurrency: 4,
  loanDelayMs: 0,
  baseline: true,
  wrap: (alma) => ({
    ...alma,
    createScfItem: async (...args) => {
      const item = await alma.createScfItem(...args);
      await sleep(3_000);
      return item;
    },
  }),
};

export default async function syncItemsBench(): Promise<void> {
  const items = Number(process.env.BENCH_ITEMS ?? 2000);
  const baseline = Number(process.env.BENCH_BASELINE_ITEMS ?? 200);
  await run(items, {
    name: "alma-rs (concurrency 16, loans after 3 s without holding a worker)",
    concurrency: 16,
    loanDelayMs: 3_000,
  });
  await run(baseline, javaModel);
}
