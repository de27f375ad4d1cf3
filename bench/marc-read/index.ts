/**
 * `npm run bench marc-read`: the MARC-XML reader against its bound (a raw saxes pass over the same file that
 * only counts events), each pass in a fresh process, and its peak memory for a small and a large file, also
 * each in a fresh process.
 * Targets: reader/saxes ≥ 0.8; peak RSS ≤ 150 MB and not growing with the file size.
 * `BENCH_SKIP_RSS=1` leaves out the memory part.
 */
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generatedFile } from "./generate.js";
import type { PassResult } from "./passes.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const RATIO_TARGET = 0.8;
const RSS_TARGET_MB = 150;
/**
 * Each pass runs this many times, alternating, each in a fresh process; the run with least CPU time is kept
 * (the machine is shared) and the medians are printed as well.
 */
const ROUNDS = 3;

function line(label: string, r: PassResult, unit: string): string {
  const perSecond = r.count / r.seconds;
  const perCpuSecond = r.megabytes / r.cpuSeconds;
  return (
    `${label.padEnd(14)} ${r.mbPerSecond.toFixed(1).padStart(6)} MB/s  ` +
    `${Math.round(perSecond).toLocaleString("en").padStart(10)} ${unit}/s  ` +
    `(${r.megabytes.toFixed(0)} MB in ${r.seconds.toFixed(2)} s; ${perCpuSecond.toFixed(1)} MB per CPU-second)`
  );
}

interface RssResult {
  records: number;
  items: number;
  vmHwmMb: number;
  maxRssMb: number;
}

/** Runs one of this folder's scripts in a fresh node and returns the JSON of its last line of output. */
async function child<T>(script: string, ...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(here, script), ...args],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
}

const peakRss = (file: string) => child<RssResult>("rss-child.ts", file);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export default async function marcRead(): Promise<void> {
  const file = await generatedFile(250);
  console.log(`file: ${file} (${(statSync(file).size / 1048576).toFixed(0)} MB)`);

  let bound: PassResult | undefined;
  let reader: PassResult | undefined;
  const boundCpu: number[] = [];
  const readerCpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const b = await child<PassResult>("pass-child.ts", "bound", file);
    const r = await child<PassResult>("pass-child.ts", "reader", file);
    boundCpu.push(b.cpuSeconds);
    readerCpu.push(r.cpuSeconds);
    if (bound === undefined || b.cpuSeconds < bound.cpuSeconds) bound = b;
    if (reader === undefined || r.cpuSeconds < reader.cpuSeconds) reader = r;
  }
  console.log(line("saxes (bound)", bound!, "events"));
  console.log(line("reader", reader!, "records") + `, ${reader!.items} ITM fields`);
  // CPU time is the primary measure: on a shared machine wall time also counts other processes' turns.
  const ratio = bound!.cpuSeconds / reader!.cpuSeconds;
  const wallRatio = reader!.mbPerSecond / bound!.mbPerSecond;
  console.log(
    `ratio reader/saxes by CPU time: ${ratio.toFixed(2)} (target ≥ ${RATIO_TARGET}) ` +
      `${ratio >= RATIO_TARGET ? "OK" : "BELOW"}; by wall time: ${wallRatio.toFixed(2)}; load average ` +
      `${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  const cpuList = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");
  console.log(
    `CPU seconds of the ${ROUNDS} runs: saxes ${cpuList(boundCpu)}; reader ${cpuList(readerCpu)}; ` +
      `ratio of the medians ${(median(boundCpu) / median(readerCpu)).toFixed(2)}`,
  );

  if (process.env.BENCH_SKIP_RSS === "1") return; // the large file's RSS run is costly on a shared machine
  const baseline = await peakRss("-");
  console.log(
    `peak RSS of the same child reading nothing (node + tsx + modules): ${baseline.vmHwmMb.toFixed(1)} MB`,
  );
  const sizes = [50, 500];
  const peaks: number[] = [];
  for (const size of sizes) {
    const sized = await generatedFile(size);
    const rss = await peakRss(sized);
    peaks.push(rss.vmHwmMb);
    const mb = statSync(sized).size / 1048576;
    console.log(
      `peak RSS reading ${mb.toFixed(0).padStart(3)} MB: ${rss.vmHwmMb.toFixed(1)} MB VmHWM ` +
        `(maxRSS ${rss.maxRssMb.toFixed(1)} MB), ${rss.records.toLocaleString("en")} records, ` +
        `${(rss.vmHwmMb / RSS_TARGET_MB).toFixed(2)} of the ${RSS_TARGET_MB} MB bound`,
    );
  }
  const growth = peaks[1]! - peaks[0]!;
  console.log(
    `RSS growth 50 → 500 MB: ${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB ` +
      `(${Math.max(...peaks) <= RSS_TARGET_MB ? "within" : "OVER"} the ${RSS_TARGET_MB} MB bound)`,
  );
}
