import type { AlmaClientsConfig } from "../../../src/alma/create-alma-clients.js";
import type { Config } from "../../../src/config/config.js";

export const SCF_CODE = "01AAA_RS";
export const SCF_KEY = "l8xx-scf-secret-key-0001";
export const MEMBER_CODE = "01AAA_AB";
export const MEMBER_KEY = "l8xx-member-secret-key-0002";

/** The `alma` section with retry waits of a few ms, so retry tests run in no time. */
export function fastAlmaSettings(overrides: Partial<Config["alma"]> = {}): Config["alma"] {
  return {
    rate_limit_per_second: 25,
    connect_timeout_ms: 2_000,
    read_timeout_ms: 2_000,
    retry_initial_delay_ms: 2,
    retry_max_delay_ms: 10,
    retry_max_total_ms: 5_000,
    api_remaining_warn_below: 100,
    ...overrides,
  };
}

/** An SCF and one member institution at `gateway`. */
export function clientsConfig(gateway: string, alma: Partial<Config["alma"]> = {}): AlmaClientsConfig {
  return {
    gateway,
    remote_storage_inst: SCF_CODE,
    remote_storage_apikey: SCF_KEY,
    institutions: [{ code: MEMBER_CODE, apikey: MEMBER_KEY, libraries: [] }],
    alma: fastAlmaSettings(alma),
  };
}
