/**
 * Webhook acknowledgement latency: 100 signed events per second for 20 s from a local client over loopback,
 * each answered only once written to the spool with fsync and an atomic rename. Prints p50/p99/max latency and
 * throughput against the bound p99 ≤ 50 ms (Alma waits 5 s). Env: BENCH_RATE, BENCH_SECONDS, BENCH_DIR.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeFileAtomic } from "../../src/runtime/atomic-write.js";
import { computeSignature } from "../../src/webhook/signature.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const SECRET = "bench-webhook-secret-0001";
const P99_BOUND_MS = 50;

export default async function benchWebhook(): Promise<void> {
  const rate = Number(process.env.BENCH_RATE ?? 100);
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const dir = await mkdtemp(path.join(process.env.BENCH_DIR ?? tmpdir(), "alma-rs-bench-webhook-"));
  // The disk's own figure first: what one durable write (fsync, rename, folder fsync) costs here and now.
  const disk = await atomicWriteLatency(path.join(dir, "probe"), 300, rate);
  const child = spawn(process.execPath, ["--import", tsxLoader, path.join(here, "listener.ts"), dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /READY (\d+)/.exec(out);
        if (ready) resolve(Number(ready[1]));
      });
      child.once("exit", (code) => reject(new Error(`listener exited (${code})`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const total = rate * seconds;
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      // Open loop: each event leaves at its time whatever the previous answers, as Alma's would.
      const due = started + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sends.push(
        send(port, agent, n).then(
          (ms) => void latencies.push(ms),
          () => void (failures += 1),
        ),
      );
    }
    await Promise.all(sends);
    const elapsed = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    const p50 = at(0.5);
    const p99 = at(0.99);
    const spooled = (await readdir(path.join(dir, "state", "webhook", "done"))).length;
    console.log(`spool on ${describeFilesystem(dir)}; every event fsynced and renamed before its 200`);
    console.log(`machine load average (1 min) at the end: ${loadavg()[0]!.toFixed(2)}`);
    console.log(
      `disk alone (300 atomic writes at ${rate}/s): p50 ${disk.p50.toFixed(2)} ms, p99 ${disk.p99.toFixed(2)} ms`,
    );
    console.log(
      `sent ${total} signed events at ${rate}/s for ${seconds} s over loopback; ${failures} not acknowledged`,
    );
    console.log(
      `ack latency p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${Math.max(...latencies).toFixed(2)} ms`,
    );
    console.log(
      `throughput ${(latencies.length / elapsed).toFixed(1)} acknowledged events/s (target ${rate}/s)`,
    );
    console.log(`processed by the workers so far: ${spooled}`);
    console.log(
      `p99 / bound = ${(p99 / P99_BOUND_MS).toFixed(2)} (bound p99 ≤ ${P99_BOUND_MS} ms): ${p99 <= P99_BOUND_MS ? "ok" : "OVER"}`,
    );
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function atomicWriteLatency(
  dir: string,
  count: number,
  rate: number,
): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (let n = 0; n < count; n++) {
    const start = performance.now();
    await writeFileAtomic(path.join(dir, `${n}.json`), JSON.stringify({ id: n, pad: "x".repeat(200) }));
    latencies.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
  }
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

function send(port: number, agent: Agent, n: number): Promise<number> {
  const body = Buffer.from(
    JSON.stringify({
      id: `bench-${n}`,
      action: "BENCH",
      institution: { value: "01AAA_RS" },
      time: new Date().toISOString(),
    }),
  );
  const signature = computeSignature(body, SECRET);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/webhook",
        method: "POST",
        agent,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": body.length,
          "X-Exl-Signature": signature,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(performance.now() - start)
            : reject(new Error(`${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The file system the spool is on (fsync on tmpfs costs nothing; say so). */
function describeFilesystem(dir: string): string {
  try {
    const mounts = readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .filter((fields) => fields.length > 2 && dir.startsWith(fields[1]!))
      .sort((a, b) => b[1]!.length - a[1]!.length);
    const best = mounts[0];
    return best ? `${best[2]} (${best[1]})` : "an unknown file system";
  } catch {
    return "an unknown file system";
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await benchWebhook();
