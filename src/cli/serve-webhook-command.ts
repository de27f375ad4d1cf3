import { InvalidArgumentError, type Command } from "commander";
import { loadConfig } from "../config/load.js";
import { UsageError } from "../runtime/errors.js";
import { ExitCode } from "../runtime/exit-codes.js";
import { closeLogger, type Logger } from "../runtime/logger.js";
import { createWebhookHandlers } from "../webhook/handlers.js";
import { serveWebhook } from "../webhook/serve.js";
import { globalOptions } from "./global-options.js";
import { fetchRemoteConfig } from "./remote-config.js";
import { reportError } from "./run-command.js";
import { chooseLevel, openSession } from "./session.js";

interface ServeWebhookFlags {
  host?: string;
  port?: number;
  replay?: boolean;
  insecureNoSignature?: boolean;
}

/** `alma-rs serve-webhook`: the listener behind nginx; runs until SIGTERM. */
export function registerServeWebhookCommand(program: Command): void {
  program
    .command("serve-webhook")
    .description(
      "receive Alma's webhooks (challenge, signature, durable spool) and run scan-in, cancel-request and the " +
        "JOB_END jobs; SIGHUP reloads the configuration, SIGUSR2 steps the log level",
    )
    .option("--host <host>", "address to listen on (default: webhook.host, 127.0.0.1)")
    .option("--port <port>", "port to listen on (default: webhook.port, 8080; 0: any free port)", parsePort)
    .option("--replay", "move the spool's failed/ events back and process them (tells a running listener to)")
    .option("--insecure-no-signature", "accept events without checking X-Exl-Signature (no webhook_secret)")
    .action(async (flags: ServeWebhookFlags, command: Command) => {
      const global = globalOptions(command);
      let logger: Logger | undefined;
      try {
        if (global.dryRun) {
          // A dry run would mark events done with nothing written: they would be lost.
          throw new UsageError(
            "serve-webhook does not take --dry-run; try an event with scan-in or cancel-request --dry-run --event <file>",
          );
        }
        const session = await openSession(global);
        logger = session.logger;
        const result = await serveWebhook({
          loaded: session.loaded,
          logger,
          level: session.level,
          handlers: createWebhookHandlers(),
          ...(flags.host !== undefined ? { host: flags.host } : {}),
          ...(flags.port !== undefined ? { port: flags.port } : {}),
          replay: flags.replay ?? false,
          insecureNoSignature: flags.insecureNoSignature ?? false,
          reloadConfig: async () => {
            const loaded = await loadConfig({ configPath: global.config, fetchRemote: fetchRemoteConfig });
            for (const secret of loaded.secrets) session.redactor.add(secret);
            return loaded;
          },
          redact: (text) => session.redactor.text(text),
          levelFor: (config) => chooseLevel(global, process.env, config.log.level),
        });
        if (result.kind === "replayed-into-running" && !global.quiet) {
          process.stdout.write(
            `${result.moved} failed event(s) moved back to the spool; listener pid ${result.pid} told to take them\n`,
          );
        }
        process.exitCode = ExitCode.Done;
      } catch (error) {
        process.exitCode = reportError(error, logger);
      } finally {
        if (logger) await closeLogger(logger);
      }
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("a port from 0 to 65535");
  return port;
}
