import type { Command } from "commander";
import type { LogLevel } from "../runtime/logger.js";

/** The flags every command accepts (docs/architecture.md, "The command-line contract"). */
export interface GlobalOptions {
  config?: string;
  logLevel?: LogLevel;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}
