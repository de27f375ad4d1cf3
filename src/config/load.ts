import path from "node:path";
import { cosmiconfig } from "cosmiconfig";
import { ConfigError } from "./config-error.js";
import { describePosition, jsonSyntaxPosition, yamlSyntaxPosition } from "./syntax-position.js";
import { validateConfig } from "./validate.js";
import type { LoadedConfig } from "./config.js";

export const MODULE_NAME = "alma-rs";

/** Fetches the text of a configuration given as a URL (sftp://, ftp://, https://). */
export type RemoteConfigFetcher = (url: URL) => Promise<string>;

export interface LoadOptions {
  /** `--config <file>`: wins over everything else. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the search starts (default: the working directory). */
  cwd?: string;
  /** Where the search stops going up (default: the home folder). */
  stopDir?: string;
  fetchRemote?: RemoteConfigFetcher;
}

/**
 * Finds, reads and validates the configuration. Order: `--config`, then `CONFIG_FILE` (path or URL),
 * then a cosmiconfig search for `alma-rs` (`.alma-rsrc*`, `alma-rs.config.*`, package.json `"alma-rs"`),
 * ending with `conf.json`, the Java app's name.
 */
export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const explorer = cosmiconfig(MODULE_NAME, {
    searchStrategy: "global",
    stopDir: options.stopDir,
    searchPlaces: [
      "package.json",
      `.${MODULE_NAME}rc`,
      `.${MODULE_NAME}rc.json`,
      `.${MODULE_NAME}rc.yaml`,
      `.${MODULE_NAME}rc.yml`,
      `${MODULE_NAME}.config.json`,
      `${MODULE_NAME}.config.js`,
      `${MODULE_NAME}.config.mjs`,
      "conf.json",
    ],
    loaders: {
      ".json": (filepath, content) => parseJson(content, `configuration file ${filepath}`, filepath),
    },
  });
  const explicit = options.configPath ?? env.CONFIG_FILE;
  if (explicit && /^[a-z][a-z0-9+.-]*:\/\//i.test(explicit)) {
    return loadRemote(explicit, options, env);
  }
  let found: { config: unknown; filepath: string } | null;
  try {
    found = explicit
      ? await explorer.load(path.resolve(options.cwd ?? process.cwd(), explicit))
      : await explorer.search(options.cwd ?? process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(describeReadError(explicit, error), [], explicit);
  }
  if (!found) {
    throw new ConfigError(
      "no configuration found: give --config <file>, set CONFIG_FILE, or create .alma-rsrc.json (see conf.example.json)",
    );
  }
  return validateConfig(found.config, { source: found.filepath, baseDir: path.dirname(found.filepath), env });
}

async function loadRemote(url: string, options: LoadOptions, env: NodeJS.ProcessEnv): Promise<LoadedConfig> {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  // Not echoed: the text may hold the file server's password.
  if (!parsed) throw new ConfigError("CONFIG_FILE is not a valid URL (sftp://, ftp://, ftps:// or https://)");
  const shown = withoutCredentials(parsed);
  if (!options.fetchRemote) throw new ConfigError(`cannot fetch configuration from ${shown}: no fetcher`);
  let text: string;
  try {
    text = await options.fetchRemote(parsed);
  } catch (error) {
    const message = withoutPassword((error as Error).message, parsed);
    throw new ConfigError(`cannot fetch configuration from ${shown}: ${message}`, [], shown);
  }
  const raw = parseJson(text, `configuration at ${shown}`, shown);
  return validateConfig(raw, { source: shown, baseDir: options.cwd ?? process.cwd(), env });
}

/** The URL as it may be shown: user kept, password dropped. */
export function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.password = "";
  return copy.href;
}

/** A fetcher's message may quote the URL it was given, password included. */
function withoutPassword(message: string, url: URL): string {
  if (!url.password) return message;
  return [url.password, decodeURIComponent(url.password)].reduce(
    (text, password) => text.split(password).join("***"),
    message,
  );
}

/** Parses a configuration's JSON; a syntax error names the line and column, never the text around them. */
function parseJson(text: string, what: string, source: string): unknown {
  const json = text.replace(/^\uFEFF/, "");
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    const position = describePosition(jsonSyntaxPosition(json, error));
    throw new ConfigError(`${what} is not valid JSON: ${position}`, [], source);
  }
}

/** Why a file could not be read; parsers' messages quote the file's text (its keys), so they are not passed on. */
function describeReadError(file: string | undefined, error: unknown): string {
  const err = error as NodeJS.ErrnoException & { filepath?: string };
  if (err.code === "ENOENT") return `configuration file not found: ${file}`;
  const where = err.filepath ?? file;
  const yaml = yamlSyntaxPosition(error);
  if (yaml) return `configuration file ${where} is not valid YAML: ${describePosition(yaml)}`;
  // System errors (EACCES, EISDIR) name only the path; anything else thrown while loading may quote the file.
  const reason = err.syscall ? err.message : (err.name ?? "unreadable");
  return `cannot read configuration${where ? ` ${where}` : ""}: ${reason}`;
}
