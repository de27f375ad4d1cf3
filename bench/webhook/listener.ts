/**
 * The listener under benchmark, in its own process so the load generator does not share its event loop.
 * Events are real and signed; their action is not handled, so each is spooled (fsync), acknowledged, then
 * moved to done/ by a worker — the whole durable path, without Alma.
 *
 * Usage: tsx listener.ts <dir>; prints `READY <port>`.
 */
import { validateConfig } from "../../src/config/validate.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { WebhookService } from "../../src/webhook/service.js";

export const BENCH_SECRET = "bench-webhook-secret-0001";

const dir = process.argv[2]!;
const config = validateConfig(
  { webhook_secret: BENCH_SECRET, state_dir: "state", webhook: { host: "127.0.0.1" } },
  { source: "bench", baseDir: dir, env: {} },
).config;
const service = await WebhookService.start({
  config,
  logger: silentLogger(),
  handlers: { jobEnd: {} },
  port: 0,
});
process.stdout.write(`READY ${service.address.port}\n`);
process.on("SIGTERM", () => void service.stop().then(() => process.exit(0)));
