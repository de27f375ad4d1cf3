import type { Config } from "../config/config.js";
import { ConfigError } from "../config/config-error.js";
import type { Logger } from "../runtime/logger.js";
import { ApiBudget } from "./api-budget.js";
import { AlmaClient } from "./client.js";
import { RateLimiters, type RateLimiterOptions } from "./rate-limiter.js";
import { AlmaTransport } from "./transport.js";

/** The parts of the configuration the Alma clients read. */
export type AlmaClientsConfig = Pick<
  Config,
  "gateway" | "remote_storage_inst" | "remote_storage_apikey" | "institutions" | "alma"
>;

/** What every Alma client of a process shares: one rate limiter per institution and the budget watch. */
export interface AlmaShared {
  limiters: RateLimiters;
  budget: ApiBudget;
}

export interface AlmaClientsOptions {
  /** Share limiters and budget with clients made elsewhere in the process (default: new ones). */
  shared?: AlmaShared;
  /** Aborts waits (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Random source for retry jitter (tests). */
  random?: () => number;
  /** Limiter tuning beyond the configuration (tests shrink `secondMs`). */
  limiter?: Pick<RateLimiterOptions, "margin" | "secondMs" | "now" | "logSize">;
}

/** The SCF's client and the member institutions' clients, built from the configuration. */
export interface AlmaClients {
  /** The Shared Collection Facility (`remote_storage_inst`, `remote_storage_apikey`). */
  readonly scf: AlmaClient;
  /** A member institution's client (`institutions[].code`); the same object on every call. */
  member(code: string): AlmaClient;
  /** Lowest `X-Exl-Api-Remaining` per institution: put `budget.summary()` in the run summary. */
  readonly budget: ApiBudget;
  readonly limiters: RateLimiters;
}

/** One set of limiters and budget watch for the process, from the `alma` section. */
export function createAlmaShared(
  settings: Config["alma"],
  logger: Logger,
  limiter: AlmaClientsOptions["limiter"] = {},
): AlmaShared {
  return {
    limiters: new RateLimiters({ perSecond: settings.rate_limit_per_second, ...limiter }),
    budget: new ApiBudget({ warnBelow: settings.api_remaining_warn_below, logger }),
  };
}

/**
 * Builds the Alma clients of a run:
 * ```ts
 * const alma = createAlmaClients(context.config, context.logger, { signal: context.signal });
 * const scfItem = await alma.scf.items.findByBarcode(`${barcode}X`);
 * const memberItem = await alma.member("01AAA_AB").items.findByBarcode(barcode);
 * report.detail("alma_api_remaining", alma.budget.summary());
 * ```
 */
export function createAlmaClients(
  config: AlmaClientsConfig,
  logger: Logger,
  options: AlmaClientsOptions = {},
): AlmaClients {
  const shared = options.shared ?? createAlmaShared(config.alma, logger, options.limiter);
  const gateway = config.gateway;
  const make = (institution: string, apikey: string) => {
    if (!gateway) throw new ConfigError("gateway: required to call Alma");
    return new AlmaClient(
      new AlmaTransport({
        institution,
        gateway,
        apikey,
        settings: config.alma,
        limiter: shared.limiters.for(institution),
        budget: shared.budget,
        logger,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.random ? { random: options.random } : {}),
      }),
    );
  };
  const clients = new Map<string, AlmaClient>();
  const scfCode = config.remote_storage_inst;
  return {
    get scf() {
      if (!scfCode || !config.remote_storage_apikey) {
        throw new ConfigError("remote_storage_inst and remote_storage_apikey: required to call the SCF");
      }
      let client = clients.get(scfCode);
      if (!client) clients.set(scfCode, (client = make(scfCode, config.remote_storage_apikey)));
      return client;
    },
    member(code: string) {
      let client = clients.get(code);
      if (client) return client;
      if (code === scfCode) return this.scf;
      const institution = config.institutions.find((candidate) => candidate.code === code);
      if (!institution) throw new ConfigError(`institution ${code} is not configured (institutions[].code)`);
      clients.set(code, (client = make(code, institution.apikey)));
      return client;
    },
    budget: shared.budget,
    limiters: shared.limiters,
  };
}
