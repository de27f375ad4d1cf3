import { createAlmaClients, type AlmaClients } from "../../../src/alma/create-alma-clients.js";
import type { Config } from "../../../src/config/config.js";
import type { Logger } from "../../../src/runtime/logger.js";
import { silentLogger } from "../../../src/runtime/logger.js";
import { clientsConfig } from "./config.js";

export interface TestClientsOptions {
  alma?: Partial<Config["alma"]>;
  logger?: Logger;
  /** Real ms per limiter second (default 1000). */
  secondMs?: number;
}

/** Clients for the SCF and one member at `gateway`, with fast retries and a fixed jitter. */
export function testClients(gateway: string, options: TestClientsOptions = {}): AlmaClients {
  return createAlmaClients(clientsConfig(gateway, options.alma), options.logger ?? silentLogger(), {
    random: () => 0.5,
    ...(options.secondMs ? { limiter: { secondMs: options.secondMs } } : {}),
  });
}
