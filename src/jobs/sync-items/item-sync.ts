import type { Config, InstitutionConfig } from "../../config/config.js";
import {
  addField,
  cloneRecord,
  dataField,
  insertBefore,
  removeFields,
  type MarcRecord,
} from "../../marc/record.js";
import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import type { LoanJournal } from "./loan-journal.js";
import type { LoanScheduler } from "./loan-scheduler.js";
import type { PublishedItem, PublishedRecord } from "./published-item.js";
import { isInRemoteStorage } from "./remote-storage.js";
import type { SyncItemsAlma } from "./scf-port.js";
import {
  isUnchangedForPut,
  itemForScfCreate,
  mergeForScfUpdate,
  scfBarcode,
  type AlmaItemJson,
} from "./scf-item-body.js";
import type { BibSource, ScfStructure } from "./scf-structure.js";

export interface ItemSyncDeps {
  alma: SyncItemsAlma;
  structure: ScfStructure;
  journal: LoanJournal;
  loans: LoanScheduler;
  report: RunReport;
  logger: Logger;
  config: Config;
  institution: InstitutionConfig;
  dryRun: boolean;
  /** Serialises a member MARC record as `<bib><record>…</record></bib>`. */
  bibXml: (record: MarcRecord) => string;
}

/** One item of a publishing file and where it came from. */
export interface ItemWork {
  item: PublishedItem & { barcode: string };
  record: PublishedRecord;
  marc: MarcRecord;
  deleted: boolean;
}

/**
 * The outcome counted in the run summary. "planned": a --dry-run write, listed and counted by the plan
 * ("would create item", "would update item", "would delete item") rather than as done.
 */
export type ItemOutcome =
  | "created"
  | "updated"
  | "unchanged"
  | "deleted"
  | "not in SCF"
  | "not in remote storage"
  | "delete ignored"
  | "planned";

/** Seed 001 §6.3–§6.5 for one item. Throws on failure; the caller reports it. */
export async function syncItem(work: ItemWork, deps: ItemSyncDeps): Promise<ItemOutcome> {
  const barcode = scfBarcode(work.item.barcode);
  const scfItem = await deps.alma.findScfItem(barcode);
  if (scfItem) requireOwnCopy(scfItem, deps.institution.code);
  if (work.deleted) return scfItem ? deleteScfItem(scfItem, deps) : "not in SCF";
  const inRemoteStorage = isInRemoteStorage(deps.institution, work.item.library, work.item.location);
  if (scfItem && !inRemoteStorage) {
    if (deps.config.ignore_delete_files) return "delete ignored";
    return deleteScfItem(scfItem, deps);
  }
  if (scfItem) return updateScfItem(work, scfItem, deps);
  if (!inRemoteStorage) return "not in remote storage";
  return createScfItem(work, deps);
}

/** Two members may share a barcode: one member's file must never change or withdraw the other's SCF copy. */
function requireOwnCopy(scfItem: AlmaItemJson, institutionCode: string): void {
  const provenance = scfItem.item_data?.provenance as { value?: unknown } | undefined;
  const owner = typeof provenance?.value === "string" ? provenance.value : "";
  if (owner && owner !== institutionCode) {
    throw new Error(
      `SCF item ${String(scfItem.item_data?.barcode)} belongs to ${owner} (provenance), not ${institutionCode}: left alone`,
    );
  }
}

async function deleteScfItem(scfItem: AlmaItemJson, deps: ItemSyncDeps): Promise<ItemOutcome> {
  const ids = itemIds(scfItem);
  // A patron's request on the SCF copy is under way: withdrawing the item would strand it.
  if (scfItem.item_data?.requested === true) {
    throw new Error(
      `SCF item ${ids.barcode} has an active request: not withdrawn; withdraw it by hand when done`,
    );
  }
  if (deps.dryRun) {
    deps.report.plan({ action: "delete item", target: `SCF item ${ids.barcode}` });
    return "planned";
  }
  await deps.alma.deleteScfItem(ids.mmsId, ids.holdingId, ids.pid);
  return "deleted";
}

async function updateScfItem(
  work: ItemWork,
  scfItem: AlmaItemJson,
  deps: ItemSyncDeps,
): Promise<ItemOutcome> {
  const memberItem = await memberItemOf(work, deps);
  const merged = mergeForScfUpdate(memberItem, scfItem);
  if (isUnchangedForPut(merged, scfItem)) return "unchanged";
  const ids = itemIds(scfItem);
  if (deps.dryRun) {
    deps.report.plan({ action: "update item", target: `SCF item ${ids.barcode}` });
    return "planned";
  }
  await deps.alma.updateScfItem(ids.mmsId, ids.holdingId, ids.pid, merged);
  return "updated";
}

async function createScfItem(work: ItemWork, deps: ItemSyncDeps): Promise<ItemOutcome> {
  const memberItem = await memberItemOf(work, deps);
  const bib = await deps.structure.bib(bibSource(work, deps));
  const holding = await deps.structure.holding(bib.mmsId, work.item.location);
  const body = itemForScfCreate(memberItem, deps.institution.code, work.item.barcode);
  const barcode = scfBarcode(work.item.barcode);
  const userId = `${deps.institution.code}-${work.item.library}`;
  if (deps.dryRun) {
    // The bib and holding were planned once by the structure, however many items share them.
    deps.report.plan({ action: "create item", target: `SCF item ${barcode}` });
    deps.report.plan({ action: "loan", target: `SCF item ${barcode} to ${userId}` });
    return "planned";
  }
  // The journal entry comes first: if the run dies after the item exists, the next run still owes its loan.
  await deps.journal.add({ scfBarcode: barcode, userId, since: new Date().toISOString() });
  const created = await deps.alma.createScfItem(bib.mmsId, holding.holdingId, body);
  const pid = created.item_data?.pid;
  deps.loans.schedule({
    scfBarcode: barcode,
    userId,
    ...(typeof pid === "string" ? { created: { mmsId: bib.mmsId, holdingId: holding.holdingId, pid } } : {}),
  });
  return "created";
}

async function memberItemOf(work: ItemWork, deps: ItemSyncDeps): Promise<AlmaItemJson> {
  const item = await deps.alma.getMemberItem(work.item.barcode);
  if (!item) throw new Error(`item ${work.item.barcode} not found in ${deps.institution.code}`);
  return item;
}

function bibSource(work: ItemWork, deps: ItemSyncDeps): BibSource {
  if (work.record.nzMmsId) return { kind: "nz", nzMmsId: work.record.nzMmsId };
  if (!work.record.mmsId) throw new Error("record has neither an NZ id (035 EXLNZ) nor a 001");
  const otherSystemId = `(${deps.institution.code})${work.record.mmsId}`;
  return {
    kind: "local",
    otherSystemId,
    bibXml: () => deps.bibXml(localBibRecord(work.marc, otherSystemId)),
  };
}

/**
 * The member's record as a local SCF bib: 035 `(INST)mmsId` added in tag order, AVA (availability) removed, and
 * ITM too (the publishing enrichment carries the member's barcodes, which do not belong on the SCF bib).
 */
export function localBibRecord(record: MarcRecord, otherSystemId: string): MarcRecord {
  const copy = cloneRecord(record);
  removeFields(copy, ["AVA", "ITM"]);
  const field035 = dataField("035", " ", " ", [["a", otherSystemId]]);
  if (!insertBefore(copy, (field) => field.tag > "035", field035)) addField(copy, field035);
  return copy;
}

function itemIds(item: AlmaItemJson): { mmsId: string; holdingId: string; pid: string; barcode: string } {
  return {
    mmsId: String(item.bib_data?.mms_id),
    holdingId: String(item.holding_data?.holding_id),
    pid: String(item.item_data?.pid),
    barcode: String(item.item_data?.barcode),
  };
}
