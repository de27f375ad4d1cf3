import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { AB, BARCODES, CD, SCF, startSandbox, type Sandbox } from "../sandbox/consortium/index.js";
import { ExitCode } from "../runtime/exit-codes.js";
import { globalOptions } from "./global-options.js";

interface SandboxFlags {
  portBase?: string;
  writeConfig?: string;
  dir?: string;
}

/** `alma-rs sandbox`: every simulator on 127.0.0.1 with a morning's work waiting, until Ctrl-C. */
export function registerSandboxCommand(program: Command): void {
  program
    .command("sandbox")
    .description(
      "start simulators of Alma (two members and the SCF), an SFTP server, ArchivesSpace, Aleph and CaiaSoft on " +
        "127.0.0.1, seeded with work, and write a configuration that points at them; runs until Ctrl-C",
    )
    .option(
      "--port-base <n>",
      "fixed ports: Alma n, SFTP n+1, ArchivesSpace n+2, Aleph n+3, CaiaSoft n+4, webhook n+5 (default: free ports)",
    )
    .option(
      "--write-config <file>",
      "write the configuration here (default: alma-rs.json in the sandbox folder)",
    )
    .option("--dir <folder>", "the sandbox's folder: file server, state, logs (default: a new temp folder)")
    .action(async (flags: SandboxFlags, command: Command) => {
      const quiet = globalOptions(command).quiet ?? false;
      // Checked here, not by commander: its refusals exit 1, and a usage error is 2 (the contract).
      const portBase = flags.portBase === undefined ? undefined : parsePortBase(flags.portBase);
      if (portBase === null) {
        process.stderr.write(
          `alma-rs: sandbox: --port-base: a port from 1024 to 65530 (six ports from it are used)\n`,
        );
        process.exitCode = ExitCode.Usage;
        return;
      }
      let sandbox: Sandbox;
      try {
        const dir = flags.dir
          ? path.resolve(flags.dir)
          : await mkdtemp(path.join(os.tmpdir(), "alma-rs-sandbox-"));
        sandbox = await startSandbox({
          dir,
          ...(portBase !== undefined ? { portBase } : {}),
        });
      } catch (error) {
        const err = error as NodeJS.ErrnoException;
        const message =
          err.code === "EADDRINUSE"
            ? `a port is in use (${err.message}): choose another --port-base`
            : err.message;
        process.stderr.write(`alma-rs: sandbox: ${message}\n`);
        process.exitCode =
          flags.portBase !== undefined && err.code === "EADDRINUSE" ? ExitCode.Usage : ExitCode.Aborted;
        return;
      }
      const configFile = path.resolve(flags.writeConfig ?? path.join(sandbox.dir, "alma-rs.json"));
      try {
        // The file holds the sandbox's keys and passwords: readable by its owner only, like a real one.
        await writeFile(configFile, JSON.stringify(sandbox.config, null, 2) + "\n", { mode: 0o600 });
      } catch (error) {
        await sandbox.stop();
        process.stderr.write(`alma-rs: sandbox: cannot write ${configFile}: ${(error as Error).message}\n`);
        process.exitCode = ExitCode.Usage;
        return;
      }
      if (!quiet) process.stdout.write(describeSandbox(sandbox, configFile));
      await untilSignal();
      await sandbox.stop();
      if (!quiet) process.stdout.write(`sandbox stopped; its files stay in ${sandbox.dir}\n`);
      process.exitCode = ExitCode.Done;
    });
}

/** The port base, or null when it is not a port leaving room for the six above it. */
function parsePortBase(value: string): number | null {
  const port = Number(value);
  return Number.isInteger(port) && port >= 1024 && port <= 65_530 ? port : null;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** How to use the sandbox: where everything listens, what waits, what to try. */
export function describeSandbox(sandbox: Sandbox, configFile: string): string {
  const { endpoints, seeded } = sandbox;
  const run = `npx alma-rs --config ${shellQuote(configFile)}`;
  const waiting = [
    ...Object.values(seeded.publishing).flat(),
    ...Object.values(seeded.requests).flat(),
    seeded.barcodeReport,
  ];
  const lines = [
    "alma-rs sandbox: a small consortium on 127.0.0.1 (Ctrl-C stops it)",
    "",
    `  configuration   ${configFile}`,
    `  Alma            ${endpoints.almaGateway}/almaws/v1  SCF ${SCF}, members ${AB} and ${CD}` +
      ` (its state: ${endpoints.almaGateway}/__sandbox/state)`,
    `  SFTP            sftp://${endpoints.sftp.user}@${endpoints.sftp.host}:${endpoints.sftp.port}` +
      `  serving ${sandbox.sftp.root}`,
    `  ArchivesSpace   ${endpoints.aspace.baseUrl}  (user ${endpoints.aspace.username})`,
    `  Aleph           ${endpoints.alephItemsUrl}`,
    `  CaiaSoft        ${endpoints.caiasoft.baseUrl}`,
    `  webhook         port ${endpoints.webhook.port} in the configuration (for alma-rs serve-webhook)`,
    `  state and logs  ${path.join(sandbox.dir, "state")}`,
    "",
    "Waiting on the file server:",
    ...waiting.map((file) => `  ${file}`),
    "",
    "Try, in another terminal:",
    `  ${run} doctor`,
    `  ${run} aspace2alma`,
    `  ${run} sync-items --institution ${AB}`,
    `  ${run} sync-items --institution ${CD}`,
    `  ${run} send-requests --institution ${AB}`,
    `  ${run} send-requests --institution ${CD}`,
    `  ${run} scan-in --barcode ${BARCODES.abOnLoan}X`,
    `  ${run} cancel-request --barcode ${BARCODES.cdOnShelf}X`,
    `  ${run} aleph-items`,
    `  ${run} serve-webhook`,
    "",
    "Or run all of it at once, with an account of what happened: npx alma-rs demo",
    "",
  ];
  return lines.join("\n");
}

function shellQuote(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
