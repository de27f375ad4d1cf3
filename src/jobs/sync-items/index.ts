import { createAlmaClients, type AlmaClients } from "../../alma/create-alma-clients.js";
import { ConfigError } from "../../config/config-error.js";
import type { RunContext } from "../../runtime/run-context.js";
import type { RunSummary } from "../../runtime/run-report.js";
import { createFileTransferFromConfig } from "../../transfer/create-transfer.js";
import { syncItemsAlma } from "./alma-adapter.js";
import { remoteInputFiles } from "../remote-inputs.js";
import { localInputFiles } from "./input-file.js";
import { markDamaged } from "./mark-damaged.js";
import { runSyncItems } from "./job.js";

export { runSyncItems } from "./job.js";

export interface SyncItemsCommandOptions {
  institution: string;
  /** `--file`: local publishing files instead of the file server's. */
  files?: string[];
  /** Clients to use (the webhook listener shares its rate limiters); default: new ones from the config. */
  alma?: AlmaClients;
}

/** sync-items with the real clients: Alma from the configuration, files claimed from the file server. */
export async function syncItems(context: RunContext, options: SyncItemsCommandOptions): Promise<RunSummary> {
  const { config, logger } = context;
  const local = options.files && options.files.length > 0;
  const localFiles = local ? await localInputFiles(options.files!) : undefined;
  if (!local && !config.ftp_server) {
    throw new ConfigError("ftp_server: required to fetch publishing files (or give --file)");
  }
  const alma = options.alma ?? createAlmaClients(config, logger, { signal: context.signal });
  const transfer = local ? undefined : createFileTransferFromConfig(config.ftp_server!, { logger });
  try {
    const summary = await runSyncItems(context, options, {
      alma: syncItemsAlma(alma, config, options.institution),
      inputs: async (report) =>
        localFiles ??
        remoteInputFiles({
          config,
          institution: options.institution,
          kind: "items",
          transfer: transfer!,
          report,
          logger,
          dryRun: context.dryRun,
        }),
      markDamaged: transfer ? (archived) => markDamaged(transfer, archived, logger) : undefined,
    });
    summary.details.alma_api_remaining = alma.budget.summary();
    return summary;
  } finally {
    await transfer?.close();
  }
}
