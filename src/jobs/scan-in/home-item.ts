import type { AlmaClients } from "../../alma/create-alma-clients.js";
import type { AlmaItem } from "../../alma/types.js";
import type { Config, InstitutionConfig } from "../../config/config.js";
import { RecordError } from "./record-error.js";

/** An SCF item and the member institution's item it mirrors. */
export interface HomeItem {
  scfBarcode: string;
  barcode: string;
  scfItem: AlmaItem;
  institution: InstitutionConfig;
  item: AlmaItem;
}

/**
 * From an SCF barcode to the home item (seed 001 §5.3 steps 4–5): the SCF item's provenance names the member
 * institution, where the item has the barcode without its `X`.
 */
export async function findHomeItem(
  alma: AlmaClients,
  config: Config,
  scfBarcode: string,
  barcode: string,
): Promise<HomeItem> {
  const scfItem = await alma.scf.items.findByBarcode(scfBarcode);
  if (!scfItem) throw new RecordError("find SCF item", `no item with barcode ${scfBarcode} in the SCF`);
  const provenance = scfItem.item_data.provenance?.value;
  if (!provenance) {
    throw new RecordError("find home institution", `SCF item ${scfBarcode} has no provenance`);
  }
  const institution = config.institutions.find((candidate) => candidate.code === provenance);
  if (!institution) {
    throw new RecordError(
      "find home institution",
      `SCF item ${scfBarcode} comes from ${provenance}, which is not in institutions[]`,
    );
  }
  const item = await alma.member(institution.code).items.findByBarcode(barcode);
  if (!item) {
    throw new RecordError("find home item", `no item with barcode ${barcode} in ${institution.code}`);
  }
  return { scfBarcode, barcode, scfItem, institution, item };
}
