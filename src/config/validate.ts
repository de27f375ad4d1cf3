import path from "node:path";
import { buildSchema, crossFieldProblems } from "./schema.js";
import { ConfigError } from "./config-error.js";
import { resolveEnvReferences } from "./env-secrets.js";
import { formatIssue } from "./format-issue.js";
import { collectSecretValues } from "./secret-keys.js";
import type { Config, LoadedConfig } from "./config.js";

const strictSchema = buildSchema("strict");
const stripSchema = buildSchema("strip");

export interface ValidateOptions {
  source: string;
  /** Relative folders in the file are resolved against this one (the config file's folder). */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
}

/** Validates a parsed configuration object; throws a ConfigError listing every problem at once. */
export function validateConfig(raw: unknown, options: ValidateOptions): LoadedConfig {
  const { value, problems } = resolveEnvReferences(raw, options.env ?? process.env);
  const strict = strictSchema.safeParse(value, { reportInput: true });
  const warnings = strict.success
    ? []
    : strict.error.issues
        .filter((issue) => issue.code === "unrecognized_keys")
        .flatMap((issue) => formatIssue(issue).split("\n"));
  const parsed = stripSchema.safeParse(value, { reportInput: true });
  // A key whose env: variable is unset is said once, by that problem, not again as "required".
  const unset = new Set(problems.map((problem) => `${problem.slice(0, problem.indexOf(": "))}: required`));
  const errors = [
    ...problems,
    ...(parsed.success ? [] : parsed.error.issues.map(formatIssue).filter((issue) => !unset.has(issue))),
    ...crossFieldProblems(value),
  ];
  if (!parsed.success || errors.length > 0) {
    throw new ConfigError(`invalid configuration in ${options.source}`, errors, options.source, warnings);
  }
  const raws = parsed.data;
  const at = (folder: string) => path.resolve(options.baseDir, folder);
  const stateDir = at(raws.state_dir ?? "alma-rs-state");
  const config: Config = {
    ...raws,
    state_dir: stateDir,
    main_local_folder: raws.main_local_folder ? at(raws.main_local_folder) : path.join(stateDir, "work"),
    report_file_folder: raws.report_file_folder
      ? at(raws.report_file_folder)
      : path.join(stateDir, "reports"),
    log: { ...raws.log, folder: raws.log.folder ? at(raws.log.folder) : path.join(stateDir, "logs") },
    webhook: {
      ...raws.webhook,
      spool_dir: raws.webhook.spool_dir ? at(raws.webhook.spool_dir) : path.join(stateDir, "webhook"),
    },
  };
  return { config, source: options.source, warnings, secrets: collectSecretValues(value) };
}
