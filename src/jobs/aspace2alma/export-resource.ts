/** Step 4 for one resource: MARC export → checks → containers → item fields → the Special Collections changes. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AspaceClient } from "../../aspace/client.js";
import { AspaceHttpError, AspaceLoginError, AspaceNetworkError } from "../../aspace/errors.js";
import { repositoryNumber, type ResourceRef } from "../../aspace/types.js";
import { MarcParseError, type MarcRecordError } from "../../marc/errors.js";
import { parseMarcXml } from "../../marc/reader.js";
import { subfieldValue, type MarcRecord } from "../../marc/record.js";
import type { Logger } from "../../runtime/logger.js";
import { itemFields } from "./items.js";
import { ResourceRecordError } from "./selection.js";
import type { Aspace2AlmaSettings } from "./settings.js";
import { applySpecialCollectionsChanges, prepareRecord } from "./transform.js";

/**
 * What became of one resource. `fatal` means ArchivesSpace itself is failing: the run must stop. `unanswered`:
 * ArchivesSpace gave no answer or a 5xx one (down, or a proxy in front of it saying so), not a bad record.
 */
export type ResourceOutcome =
  | { kind: "record"; resource: ResourceRef; callNumber: string; record: MarcRecord; items: number }
  | { kind: "excluded"; resource: ResourceRef; callNumber: string; reason: string }
  | { kind: "failed"; resource: ResourceRef; reason: string; unanswered: boolean }
  | { kind: "fatal"; resource: ResourceRef; error: Error }
  | { kind: "cancelled"; resource: ResourceRef };

export interface ExportResourceDeps {
  aspace: Pick<AspaceClient, "resourceMarcXml" | "topContainers">;
  settings: Aspace2AlmaSettings;
  almaBarcodes: ReadonlySet<string>;
  logger: Logger;
  /** Where the export of a resource that failed is kept for a look (none: not kept). */
  failedDir?: string;
  signal?: AbortSignal;
}

/** Exports one resource; never throws (every failure is an outcome). */
export async function exportResource(
  resource: ResourceRef,
  deps: ExportResourceDeps,
): Promise<ResourceOutcome> {
  if (deps.signal?.aborted) return { kind: "cancelled", resource };
  let xml: string | undefined;
  try {
    xml = await deps.aspace.resourceMarcXml(resource);
    const record = singleRecord(xml, resource);
    const prepared = prepareRecord(record, deps.settings);
    if (prepared.excluded) {
      return { kind: "excluded", resource, callNumber: prepared.callNumber, reason: prepared.excluded };
    }
    const containers = await deps.aspace.topContainers(resource, (found, received) =>
      deps.logger.warn(
        `${resource.uri}: ArchivesSpace found ${found} top containers but gave ${received}; the rest get no item`,
      ),
    );
    const items = itemFields(containers, prepared.callNumber, deps.almaBarcodes, deps.settings);
    for (const item of items) deps.logger.debug(`Created record for ${subfieldValue(item, "b") ?? ""}`);
    applySpecialCollectionsChanges(prepared, items, deps.settings);
    deps.logger.debug(
      `Fetched record ${prepared.callNumber} (${resource.uri}, ${containers.length} containers)`,
    );
    return { kind: "record", resource, callNumber: prepared.callNumber, record, items: items.length };
  } catch (error) {
    if (deps.signal?.aborted) return { kind: "cancelled", resource };
    if (error instanceof AspaceLoginError) return { kind: "fatal", resource, error };
    if (xml !== undefined && deps.failedDir)
      await keepFailedExport(deps.failedDir, resource, xml, deps.logger);
    return {
      kind: "failed",
      resource,
      reason: reasonOf(error),
      unanswered: isUnanswered(error),
    };
  }
}

/** The one record of a resource's export; anything else is a ResourceRecordError. */
function singleRecord(xml: string, resource: ResourceRef): MarcRecord {
  const invalid: MarcRecordError[] = [];
  const records = parseMarcXml(xml, { name: resource.uri, onInvalidRecord: (e) => invalid.push(e) });
  if (invalid.length > 0) throw new ResourceRecordError(`the MARC export is not MARC: ${invalid[0]!.reason}`);
  if (records.length !== 1) {
    throw new ResourceRecordError(`the MARC export holds ${records.length} records, not one`);
  }
  return records[0]!;
}

/** No answer, or a 5xx one (after the client's retries): ArchivesSpace is failing, not this record. */
function isUnanswered(error: unknown): boolean {
  if (error instanceof AspaceNetworkError) return true;
  const status = error instanceof AspaceHttpError ? (error.status ?? 0) : 0;
  return status >= 500 && status <= 599;
}

function reasonOf(error: unknown): string {
  if (error instanceof MarcParseError) return `the MARC export is not well-formed XML: ${error.reason}`;
  return error instanceof Error ? error.message : String(error);
}

async function keepFailedExport(
  dir: string,
  resource: ResourceRef,
  xml: string,
  logger: Logger,
): Promise<void> {
  const file = path.join(
    dir,
    `repository-${repositoryNumber(resource.repositoryUri)}-resource-${resource.id}.xml`,
  );
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(file, xml);
  } catch (error) {
    logger.warn(`cannot keep the failed export of ${resource.uri} in ${file}: ${(error as Error).message}`);
  }
}
