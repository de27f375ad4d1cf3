import type { RawConfig } from "./schema.js";

/** The validated configuration, with every folder resolved to an absolute path. */
export type Config = Omit<
  RawConfig,
  "state_dir" | "main_local_folder" | "report_file_folder" | "log" | "webhook"
> & {
  state_dir: string;
  main_local_folder: string;
  report_file_folder: string;
  log: RawConfig["log"] & { folder: string };
  webhook: RawConfig["webhook"] & { spool_dir: string };
};

export type InstitutionConfig = Config["institutions"][number];
export type LibraryConfig = InstitutionConfig["libraries"][number];
export type FtpServerConfig = NonNullable<Config["ftp_server"]>;
export type AspaceConfig = NonNullable<Config["aspace"]>;
export type AlephConfig = NonNullable<Config["aleph"]>;
export type CaiasoftConfig = NonNullable<Config["caiasoft"]>;

/** The configuration and where it came from. */
export interface LoadedConfig {
  config: Config;
  /** A path or a URL (without credentials). */
  source: string;
  /** Unknown keys and other things worth a look that do not stop a run. */
  warnings: string[];
  /** Every secret value in the file, for the log redactor. */
  secrets: Set<string>;
}
