import { AspaceClient } from "../../aspace/client.js";
import { createAlmaClients } from "../../alma/create-alma-clients.js";
import { ConfigError } from "../../config/config-error.js";
import type { RunContext } from "../../runtime/run-context.js";
import { createFileTransferFromConfig } from "../../transfer/create-transfer.js";
import type { Aspace2AlmaSources } from "./job.js";
import { aspaceSection } from "./job.js";

/** The real clients, from the configuration: ArchivesSpace, the file server, and Alma for the set source. */
export function sourcesFromConfig(context: RunContext): Aspace2AlmaSources {
  const { config, logger, signal } = context;
  const aspace = aspaceSection(config);
  return {
    aspace: new AspaceClient({
      baseUrl: aspace.base_url,
      username: aspace.username,
      password: aspace.password,
      timeoutMs: aspace.timeout_ms,
      logger,
      signal,
    }),
    fileServer: () => {
      if (!config.ftp_server) {
        throw new ConfigError("aspace2alma needs the file server", [
          "ftp_server: required for aspace2alma (the output and the barcode report are there)",
        ]);
      }
      return createFileTransferFromConfig(config.ftp_server, { logger });
    },
    almaSet: () => createAlmaClients(config, logger, { signal }).member(aspace.barcodes.institution!).conf,
  };
}
