import { createAlmaClients, type AlmaClients } from "../../alma/create-alma-clients.js";
import type { Config, InstitutionConfig } from "../../config/config.js";
import type { Logger } from "../../runtime/logger.js";
import { circDeskChecks, jobIdChecks, remoteLocationChecks } from "./alma-config-checks.js";
import { keyChecks } from "./alma-key-checks.js";
import { holdingPlaceChecks, systemUserChecks } from "./scf-checks.js";
import { skip, type DoctorCheck } from "./check.js";
import { fileServerChecks } from "./file-server-checks.js";
import { alephChecks, aspaceChecks, caiasoftChecks } from "./service-checks.js";
import { webhookChecks } from "./webhook-checks.js";

export interface DoctorOptions {
  /** Today, for Aleph's query window. */
  now?: () => Date;
  signal?: AbortSignal;
}

/** Every check, in the order printed, and whether all passed. */
export interface DoctorReport {
  ok: boolean;
  counts: { ok: number; fail: number; skip: number };
  checks: DoctorCheck[];
}

/**
 * `alma-rs doctor`: checks a configuration against the real services, read-only (the one write is CaiaSoft's
 * empty list). Steps, run side by side: Alma (each key's areas, job ids, remote-storage locations, the SCF's
 * holding place and system users) · the file server (login, folders) · ArchivesSpace, Aleph, CaiaSoft when configured
 * · the webhook secret.
 */
export async function runDoctor(
  config: Config,
  logger: Logger,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const now = options.now ?? (() => new Date());
  const sections = await Promise.all([
    config.institutions.length > 0 || config.remote_storage_inst ? almaChecks(config, logger, options) : [],
    fileServerChecks(config, logger),
    config.aspace ? aspaceChecks(config.aspace, logger) : [],
    config.aleph ? alephChecks(config.aleph, logger, now()) : [],
    config.caiasoft ? caiasoftChecks(config.caiasoft, logger) : [],
  ]);
  const checks = [...sections.flat(), ...webhookChecks(config)];
  const counts = { ok: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status] += 1;
  return { ok: counts.fail === 0, counts, checks };
}

/** Doctor's patience with Alma: a few seconds of retries, not a job's half hour. */
function doctorAlmaSettings(config: Config): Config["alma"] {
  return {
    ...config.alma,
    connect_timeout_ms: Math.min(config.alma.connect_timeout_ms, 10_000),
    read_timeout_ms: Math.min(config.alma.read_timeout_ms, 30_000),
    retry_initial_delay_ms: Math.min(config.alma.retry_initial_delay_ms, 500),
    retry_max_delay_ms: Math.min(config.alma.retry_max_delay_ms, 2_000),
    retry_max_total_ms: Math.min(config.alma.retry_max_total_ms, 5_000),
  };
}

async function almaChecks(config: Config, logger: Logger, options: DoctorOptions): Promise<DoctorCheck[]> {
  const alma: AlmaClients = createAlmaClients({ ...config, alma: doctorAlmaSettings(config) }, logger, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const [scf, ...members] = await Promise.all([
    scfChecks(alma, config),
    ...config.institutions.map((institution, index) => memberChecks(alma, institution, index)),
  ]);
  return [...scf, ...members.flat()];
}

const BEHIND_THE_KEY = "job ids, remote-storage locations, circulation desks";

/** A member: its key, then what the jobs need of its configuration (job ids, locations, desks). */
async function memberChecks(
  alma: AlmaClients,
  institution: InstitutionConfig,
  index: number,
): Promise<DoctorCheck[]> {
  const subject = `Alma ${institution.code}`;
  const client = alma.member(institution.code);
  const key = await keyChecks(client, subject, `institutions[${index}].apikey`);
  if (!key.usable) return [...key.checks, skip(subject, BEHIND_THE_KEY, key.unusable ?? "")];
  if (!key.readsConf) {
    return [...key.checks, skip(subject, BEHIND_THE_KEY, "not checked: the key cannot read Configuration")];
  }
  const scanInDesks = institution.libraries.flatMap((library, libraryIndex) =>
    library.remote_storage_location.length > 0
      ? [
          {
            library: library.code,
            desk: library.circ_desc,
            key: `institutions[${index}].libraries[${libraryIndex}].circ_desc`,
            why: "scan-in returns items at this desk",
          },
        ]
      : [],
  );
  return [
    ...key.checks,
    ...(await jobIdChecks(client, institution, index)),
    ...(await remoteLocationChecks(client, institution, index)),
    ...(await circDeskChecks(client, scanInDesks, subject)),
  ];
}

/** The SCF: its key, where new holdings and loans are made, and the members' system users. */
async function scfChecks(alma: AlmaClients, config: Config): Promise<DoctorCheck[]> {
  const code = config.remote_storage_inst;
  if (!code || !config.remote_storage_apikey) {
    return [skip("SCF", "remote_storage_inst and remote_storage_apikey are set", "not configured")];
  }
  const subject = `SCF ${code}`;
  const key = await keyChecks(alma.scf, subject, "remote_storage_apikey");
  if (!key.usable) {
    return [
      ...key.checks,
      skip(subject, "holding place, circulation desk, system users", key.unusable ?? ""),
    ];
  }
  const library = config.remote_storage_holding_library;
  const loanDesk = library
    ? [
        {
          library,
          desk: config.remote_storage_circ_desc,
          key: "remote_storage_circ_desc",
          why: "sync-items loans the new SCF items at this desk",
        },
      ]
    : [];
  return [
    ...key.checks,
    ...(await holdingPlaceChecks(alma.scf, config)),
    ...(await circDeskChecks(alma.scf, loanDesk, subject)),
    ...(await systemUserChecks(alma.scf, config)),
  ];
}
