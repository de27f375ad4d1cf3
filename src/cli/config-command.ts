import type { Command } from "commander";
import { ConfigError } from "../config/config-error.js";
import { redactConfig } from "../config/secret-keys.js";
import { loadConfig } from "../config/load.js";
import { ExitCode } from "../runtime/exit-codes.js";
import { globalOptions } from "./global-options.js";
import { fetchRemoteConfig } from "./remote-config.js";
import { reportError } from "./run-command.js";

export function registerConfigCommand(program: Command): void {
  const config = program.command("config").description("inspect the configuration");
  config
    .command("check")
    .description("validate the configuration and print it, every secret redacted (exit 0 valid, 2 invalid)")
    .action(async (_options: unknown, command: Command) => {
      const flags = globalOptions(command);
      try {
        const loaded = await loadConfig({ configPath: flags.config, fetchRemote: fetchRemoteConfig });
        for (const warning of loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
        if (!flags.quiet) {
          process.stdout.write(
            flags.json
              ? JSON.stringify(
                  {
                    valid: true,
                    source: loaded.source,
                    warnings: loaded.warnings,
                    config: redactConfig(loaded.config),
                  },
                  null,
                  2,
                ) + "\n"
              : `# ${loaded.source}: valid\n${JSON.stringify(redactConfig(loaded.config), null, 2)}\n`,
          );
        }
        process.exitCode = ExitCode.Done;
      } catch (error) {
        process.exitCode = reportError(error);
        // Scripts that asked for JSON get JSON either way; the text (already masked) went to stderr too.
        if (flags.json && error instanceof ConfigError) {
          const { source = null, problems, warnings } = error;
          process.stdout.write(JSON.stringify({ valid: false, source, problems, warnings }, null, 2) + "\n");
        }
      }
    });
}
