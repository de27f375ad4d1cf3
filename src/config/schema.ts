import { z } from "zod";
import { lenientBool, lenientInt, lenientNumber, lenientPort } from "./lenient.js";
import { claimFolderSegments } from "./claim-folder.js";
import { compileExcludedPattern, compileRecapPattern } from "./aspace-patterns.js";

/**
 * The configuration schema: a superset of the Java app's conf.json, accepted unchanged.
 * `strict` objects report unknown keys (shown as warnings); `strip` objects drop them.
 */
export type ObjectMode = "strict" | "strip";

const text = () => z.string().min(1);
const stringList = () =>
  z.preprocess((value) => (typeof value === "string" ? [value] : value), z.array(z.string()));

/** A pattern key the job compiles with `compile`: refused here, naming the key, rather than after the rotation. */
const pattern = (compile: (source: string) => RegExp) =>
  z.string().superRefine((source, context) => {
    try {
      compile(source);
    } catch (error) {
      // V8 says "Invalid regular expression: /<source>/u: <reason>"; the reason is what helps.
      const message = (error as Error).message;
      const reason = message.slice(message.lastIndexOf(": ") + 2);
      context.addIssue({ code: "custom", message: `not a valid regular expression (${reason})` });
    }
  });

/** Calls made in all (the first included) and the backoff between them, for a non-Alma HTTP service. */
const retryKeys = () => ({
  retry_attempts: lenientInt(5, 1),
  retry_initial_delay_ms: lenientInt(1_000, 0),
  retry_max_delay_ms: lenientInt(300_000, 0),
});

export function buildSchema(mode: ObjectMode) {
  const object = <T extends z.ZodRawShape>(shape: T) =>
    mode === "strict" ? z.strictObject(shape) : z.object(shape);

  const library = object({
    code: text(),
    circ_desc: z.string().optional(),
    remote_storage_location: stringList().default([]),
  });

  const institution = object({
    code: text(),
    apikey: text(),
    requests_job_id: z.string().optional(),
    publishing_job_id: z.string().optional(),
    default_library: z.string().optional(),
    libraries: z.array(library).default([]),
  });

  const ftpServer = object({
    host: text(),
    user: text(),
    password: z.string().optional(),
    main_folder: z.string().default("/"),
    ftp_port: lenientPort().optional(),
    protocol: z.enum(["sftp", "ftp", "ftps"]).optional(),
    private_key: z.string().optional(),
    passphrase: z.string().optional(),
    host_key_sha256: z.string().optional(),
    // Below each job's own folder: a shared one would let one run put back another institution's claims.
    claim_folder: z
      .string()
      .default("OLD")
      .refine(
        (folder) => claimFolderSegments(folder) !== undefined,
        "must be a folder below each job's folder (no leading /, no ..), e.g. OLD",
      ),
    timeout_ms: lenientInt(30_000, 1),
    min_file_age_seconds: lenientInt(0, 0),
  });

  const alma = object({
    rate_limit_per_second: lenientInt(25, 1),
    connect_timeout_ms: lenientInt(20_000, 1),
    read_timeout_ms: lenientInt(500_000, 1),
    retry_initial_delay_ms: lenientInt(1_000, 0),
    retry_max_delay_ms: lenientInt(300_000, 0),
    retry_max_total_ms: lenientInt(1_800_000, 0),
    api_remaining_warn_below: lenientInt(10_000, 0),
  });

  const syncItems = object({
    concurrency: lenientInt(8, 1),
    loan_delay_ms: lenientInt(3_000, 0),
  });

  const aspaceBarcodes = object({
    source: z.enum(["report", "set"]).default("report"),
    report_file: z.string().default("sc_active_barcodes.csv"),
    set_id: z.string().optional(),
    institution: z.string().optional(),
  });

  const aspace = object({
    base_url: z.url(),
    username: text(),
    password: text(),
    concurrency: lenientInt(4, 1),
    timeout_ms: lenientInt(60_000, 1),
    institution_code: z.string().default("PULFA"),
    cataloging_agency: z.string().default("NjP"),
    finding_aid_label: z.string().default("Search and Request"),
    finding_aid_note: z.string().default("Princeton University Library Finding Aids"),
    excluded_ids: z
      .array(z.string())
      .default([
        "C0140",
        "C1771",
        "AC214",
        "AC364",
        "C0744.06",
        "C0935",
        "C1296",
        "WC059",
        "RBD1",
        "RBD1.1",
        "C0723.1-47",
      ]),
    excluded_patterns: z.array(pattern(compileExcludedPattern)).default(["LAE\\d+", "SPA\\d+", "POR\\d+"]),
    location_codes: z
      .array(z.string())
      .default([
        "anxb",
        "ea",
        "ex",
        "flm",
        "flmp",
        "gax",
        "hsvc",
        "hsvm",
        "mss",
        "mudd",
        "prnc",
        "rarebooks",
        "rcpph",
        "rcppf",
        "rcppl",
        "rcpxc",
        "rcpxg",
        "rcpxm",
        "rcpxr",
        "st",
        "thx",
        "wa",
        "review",
        "oo",
        "sc",
        "sls",
      ]),
    recap_pattern: pattern(compileRecapPattern).default("^(sca)?rcp\\p{L}+"),
    output_dir: z.string().default("/alma/aspace"),
    output_file: z.string().default("MARC_out.xml"),
    barcodes: aspaceBarcodes.default(aspaceBarcodes.parse({})),
  });

  const aleph = object({
    items_url: z.url(),
    default_start: z
      .string()
      .regex(/^\d{8}$/, "must be a date written YYYYMMDD")
      .default("20200101"),
    timeout_ms: lenientInt(120_000, 1),
    keep_run_files_days: lenientInt(30, 0),
    ...retryKeys(),
  });

  const caiasoft = object({
    base_url: z.url(),
    api_key: text(),
    batch_size: lenientInt(500, 1),
    timeout_ms: lenientInt(120_000, 1),
    ...retryKeys(),
  });

  const webhook = object({
    host: z.string().default("127.0.0.1"),
    port: lenientPort().default(8080),
    spool_dir: z.string().optional(),
    body_limit_bytes: lenientInt(1_048_576, 1),
    max_attempts: lenientInt(5, 1),
    retry_delay_ms: lenientInt(60_000, 0),
  });

  const log = object({
    folder: z.string().optional(),
    level: z.enum(["error", "warn", "info", "debug"]).optional(),
    keep_days: lenientInt(30, 1),
  });

  return object({
    gateway: z.url().optional(),
    main_local_folder: z.string().optional(),
    report_file_folder: z.string().optional(),
    max_number_of_threads: lenientNumber(1).optional(),
    ftp_server: ftpServer.optional(),
    remote_storage_inst: z.string().optional(),
    remote_storage_apikey: z.string().optional(),
    remote_storage_holding_library: z.string().optional(),
    remote_storage_holding_location: z.string().optional(),
    remote_storage_circ_desc: z.string().optional(),
    remote_storage_digitization_department: z.string().optional(),
    webhook_secret: z.string().optional(),
    ignore_delete_files: lenientBool(false),
    institutions: z.array(institution).default([]),
    state_dir: z.string().optional(),
    log: log.default(log.parse({})),
    alma: alma.default(alma.parse({})),
    sync_items: syncItems.default(syncItems.parse({})),
    aspace: aspace.optional(),
    aleph: aleph.optional(),
    caiasoft: caiasoft.optional(),
    webhook: webhook.default(webhook.parse({})),
  });
}

export type RawConfig = z.output<ReturnType<typeof buildSchema>>;

/** Rules across keys, checked on the raw input so they are reported together with the schema's problems. */
export function crossFieldProblems(value: unknown): string[] {
  if (value === null || typeof value !== "object") return [];
  const config = value as Record<string, unknown>;
  const institutions = Array.isArray(config.institutions) ? (config.institutions as unknown[]) : [];
  if (institutions.length === 0) return [];
  const problems: string[] = [];
  for (const key of ["gateway", "remote_storage_inst", "remote_storage_apikey"]) {
    if (config[key] === undefined || config[key] === "")
      problems.push(`${key}: required when institutions are configured`);
  }
  const seen = new Set<unknown>();
  institutions.forEach((inst, index) => {
    const code = (inst as Record<string, unknown> | null)?.code;
    if (typeof code === "string" && seen.has(code))
      problems.push(`institutions[${index}].code: duplicate code ${code}`);
    seen.add(code);
  });
  return problems;
}
