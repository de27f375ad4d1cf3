import { createAlmaClients, type AlmaClients } from "../../alma/create-alma-clients.js";
import { ConfigError } from "../../config/config-error.js";
import type { RunContext } from "../../runtime/run-context.js";
import type { RunSummary } from "../../runtime/run-report.js";
import { createFileTransferFromConfig } from "../../transfer/create-transfer.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";
import { sendRequestsAlma } from "./alma-adapter.js";
import { localExportFiles, remoteExportFiles } from "./inputs.js";
import { runSendRequests } from "./job.js";

export interface SendRequestsRun {
  institution: string;
  /** `--file`: local exports instead of the file server's. */
  files?: readonly string[];
  /** Clients made elsewhere (tests); default: from the configuration. */
  alma?: AlmaClients;
}

/** send-requests with its real sources: the Alma clients of the configuration and its file server. */
export async function sendRequests(context: RunContext, run: SendRequestsRun): Promise<RunSummary> {
  const { config, logger } = context;
  const clients = run.alma ?? createAlmaClients(config, logger, { signal: context.signal });
  let transfer: FileTransfer | undefined;
  try {
    return await runSendRequests(
      context,
      { institution: run.institution },
      {
        alma: sendRequestsAlma(clients, config),
        inputs: async (report) => {
          if (run.files && run.files.length > 0) return localExportFiles(run.files);
          if (!config.ftp_server) {
            throw new ConfigError("ftp_server: required to fetch the request exports (or give --file)");
          }
          transfer = createFileTransferFromConfig(config.ftp_server, { logger });
          return remoteExportFiles({
            config,
            institution: run.institution,
            transfer,
            report,
            logger,
            dryRun: context.dryRun,
          });
        },
        details: () => ({ alma_api_remaining: clients.budget.summary() }),
      },
    );
  } finally {
    await transfer?.close().catch(() => undefined);
  }
}
