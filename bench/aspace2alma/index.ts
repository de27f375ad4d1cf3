/**
 * `npm run bench aspace2alma`: resources exported per second with ArchivesSpace answering every call after
 * 100 ms, by the job at its default concurrency against the reference's model (one resource at a time, then a
 * 0.25 s sleep). Both make the same calls (MARC export, top-container search) through the same client and
 * apply the same rules. Target: the job ≥ 4× the reference model.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AspaceClient } from "../../src/aspace/client.js";
import { validateConfig } from "../../src/config/index.js";
import { exportResource } from "../../src/jobs/aspace2alma/export-resource.js";
import { runAspace2Alma } from "../../src/jobs/aspace2alma/job.js";
import { listResources } from "../../src/jobs/aspace2alma/list-resources.js";
import { settingsFromConfig } from "../../src/jobs/aspace2alma/settings.js";
import { sleep } from "../../src/runtime/backoff.js";
import { silentLogger } from "../../src/runtime/logger.js";
import {
  AspaceSimulator,
  aspaceCleanSeedRepositories,
  SEED_ALMA_BARCODES,
  type SimulatedRepository,
} from "../../src/sandbox/aspace/index.js";

const LATENCY_MS = 100;
const REFERENCE_SLEEP_MS = 250;
const RESOURCES = 40;
const RATIO_TARGET = 4;

/** RESOURCES copies of the fixture's clean resources, in one repository. */
function benchRepositories(): SimulatedRepository[] {
  const templates = aspaceCleanSeedRepositories().flatMap((r) => r.resources);
  const resources = Array.from({ length: RESOURCES }, (_, i) => ({
    ...templates[i % templates.length]!,
    id: i + 1,
  }));
  return [{ uri: "/repositories/2", repo_code: "bench", name: "Bench", resources }];
}

export default async function aspace2almaBench(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "alma-rs-bench-aspace2alma-"));
  const simulator = await AspaceSimulator.start({ repositories: benchRepositories(), latencyMs: LATENCY_MS });
  try {
    const raw = {
      // The set is answered by almaSet below: Alma is named only so the configuration is whole, never called.
      gateway: "http://127.0.0.1:9",
      remote_storage_inst: "BENCH",
      remote_storage_apikey: "bench-never-sent",
      state_dir: path.join(dir, "state"),
      report_file_folder: path.join(dir, "reports"),
      aspace: {
        base_url: simulator.url,
        username: simulator.username,
        password: simulator.password,
        barcodes: { source: "set", set_id: "1", institution: "BENCH" },
      },
    };
    const config = validateConfig(raw, { source: "bench", baseDir: dir }).config;
    const client = () =>
      new AspaceClient({
        baseUrl: simulator.url,
        username: simulator.username,
        password: simulator.password,
      });
    const almaBarcodes = new Set(SEED_ALMA_BARCODES);

    // The job, at the default concurrency (aspace.concurrency = 4), writing a local file.
    let started = performance.now();
    const summary = await runAspace2Alma(
      {
        config,
        logger: silentLogger(),
        dryRun: false,
        progress: () => ({ start() {}, setTotal() {}, increment() {}, stop() {} }),
        signal: new AbortController().signal,
      },
      { output: path.join(dir, "out.xml") },
      {
        aspace: client(),
        fileServer: () => {
          throw new Error("the bench uses no file server");
        },
        almaSet: () => ({
          allSetMembers: () => Promise.resolve([...almaBarcodes].map((b) => ({ id: b, description: b }))),
        }),
      },
    );
    const jobSeconds = (performance.now() - started) / 1000;
    if (summary.aborted || summary.counts.exported === undefined)
      throw new Error(`bench run failed: ${summary.aborted}`);

    // The reference's model: the same work, one resource at a time, a 0.25 s sleep after each.
    started = performance.now();
    const aspace = client();
    const resources = await listResources(aspace);
    const deps = {
      aspace,
      settings: settingsFromConfig(config.aspace!),
      almaBarcodes,
      logger: silentLogger(),
    };
    let exported = 0;
    for (const resource of resources) {
      const outcome = await exportResource(resource, deps);
      if (outcome.kind === "record") exported++;
      await sleep(REFERENCE_SLEEP_MS);
    }
    const referenceSeconds = (performance.now() - started) / 1000;

    const jobRate = RESOURCES / jobSeconds;
    const referenceRate = RESOURCES / referenceSeconds;
    const ratio = jobRate / referenceRate;
    console.log(`${RESOURCES} resources, every ArchivesSpace call answered after ${LATENCY_MS} ms`);
    console.log(
      `job (concurrency ${config.aspace!.concurrency})   ${jobRate.toFixed(2).padStart(6)} resources/s ` +
        `(${jobSeconds.toFixed(2)} s, ${summary.counts.exported} exported, ${summary.counts.excluded ?? 0} excluded)`,
    );
    console.log(
      `reference model     ${referenceRate.toFixed(2).padStart(6)} resources/s ` +
        `(${referenceSeconds.toFixed(2)} s, ${exported} exported; one at a time + ${REFERENCE_SLEEP_MS} ms sleep)`,
    );
    console.log(
      `ratio job/reference: ${ratio.toFixed(2)} (target ≥ ${RATIO_TARGET}) ${ratio >= RATIO_TARGET ? "OK" : "BELOW"}`,
    );
  } finally {
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
