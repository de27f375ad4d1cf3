import { createAlmaClients, type AlmaClients } from "../../../src/alma/create-alma-clients.js";
import type { Config } from "../../../src/config/config.js";
import type { Logger } from "../../../src/runtime/logger.js";
import { silentLogger } from "../../../src/runtime/logger.js";
import {
  DEFAULT_API_KEYS,
  defaultFixture,
  startAlmaSimulator,
  type AlmaFixture,
  type AlmaSimulator,
  type AlmaSimulatorOptions,
} from "../../../src/sandbox/alma/index.js";
import { fastAlmaSettings } from "./config.js";

export const SCF = "01AAA_RS";
export const AB = "01AAA_AB";
export const CD = "01AAA_CD";

export interface SimulatedAlma {
  sim: AlmaSimulator;
  alma: AlmaClients;
  /** Handler bugs the simulator met (answered as 500): a test expects none. */
  internalErrors: unknown[];
  stop(): Promise<void>;
}

export interface SimulatedAlmaOptions {
  fixture?: AlmaFixture;
  alma?: Partial<Config["alma"]>;
  logger?: Logger;
  /**
   * Wall ms per second for both sides: the client's limiter and the simulator's clock (its 1-second rate
   * window, its call log times) run this much faster, so a long burst plays quickly and is still judged in
   * simulated seconds. Default 1000 (real time).
   */
  secondMs?: number;
  simulator?: Omit<AlmaSimulatorOptions, "fixture" | "now">;
}

/** A simulator seeded with `fixture` (the sandbox's default consortium) and clients configured for it. */
export async function startSimulatedAlma(options: SimulatedAlmaOptions = {}): Promise<SimulatedAlma> {
  const secondMs = options.secondMs ?? 1000;
  const scale = 1000 / secondMs;
  const origin = performance.now();
  const epoch = Date.now();
  const internalErrors: unknown[] = [];
  const sim = await startAlmaSimulator({
    fixture: options.fixture ?? defaultFixture,
    now: () => epoch + (performance.now() - origin) * scale,
    onInternalError: (error) => internalErrors.push(error),
    ...options.simulator,
  });
  const alma = createAlmaClients(
    {
      gateway: sim.url,
      remote_storage_inst: SCF,
      remote_storage_apikey: DEFAULT_API_KEYS[SCF],
      institutions: [
        { code: AB, apikey: DEFAULT_API_KEYS[AB], libraries: [] },
        { code: CD, apikey: DEFAULT_API_KEYS[CD], libraries: [] },
      ],
      alma: fastAlmaSettings(options.alma),
    },
    options.logger ?? silentLogger(),
    { random: () => 0.5, limiter: { secondMs } },
  );
  return { sim, alma, internalErrors, stop: () => sim.stop() };
}

/** A copy of the default fixture to change for one test. */
export function fixtureCopy(): AlmaFixture {
  return structuredClone(defaultFixture);
}
