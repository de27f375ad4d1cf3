import type { AlmaClients } from "../../alma/create-alma-clients.js";
import type { AlmaItem } from "../../alma/types.js";
import type { Config } from "../../config/config.js";
import type { AlmaItemJson } from "./scf-item-body.js";
import type { SyncItemsAlma } from "./scf-port.js";

/** sync-items' Alma operations on the real client: the SCF's and one member's. */
export function syncItemsAlma(clients: AlmaClients, config: Config, memberCode: string): SyncItemsAlma {
  const scf = clients.scf;
  const member = clients.member(memberCode);
  const asItem = (item: AlmaItemJson) => item as AlmaItem;
  return {
    findScfItem: (scfBarcode) => scf.items.findByBarcode(scfBarcode),
    getMemberItem: (barcode) => member.items.findByBarcode(barcode),
    findScfBibByNzId: async (nzMmsId) => (await scf.bibs.findByNzId(nzMmsId))?.mms_id,
    findScfBibByOtherSystemId: async (id) => (await scf.bibs.findByOtherSystemId(id))?.mms_id,
    createScfBibFromNz: async (nzMmsId) => (await scf.bibs.createFromNz(nzMmsId)).mms_id,
    createScfBibFromRecord: async (bibXml, otherSystemId) =>
      (await scf.bibs.createLocal(bibXml, otherSystemId)).mms_id,
    listScfHoldings: async (mmsId) =>
      (await scf.holdings.list(mmsId)).map((holding) => ({
        holdingId: holding.holding_id,
        library: holding.library?.value ?? "",
        location: holding.location?.value ?? "",
      })),
    createScfHolding: async (mmsId, library, location) =>
      (await scf.holdings.create(mmsId, library, location)).holding_id,
    scfLibraryLocations: async (library) =>
      (await scf.conf.locations(library)).map((location) => location.code),
    createScfItem: (mmsId, holdingId, body) => scf.items.create(mmsId, holdingId, asItem(body)),
    updateScfItem: (_mmsId, _holdingId, _pid, body) => scf.items.update(asItem(body)),
    // The SCF copy is always on loan to the member's system user: that loan is ours to override.
    deleteScfItem: (mmsId, holdingId, pid) => scf.items.delete({ mmsId, holdingId, pid }, { override: true }),
    createScfLoan: async (userId, item) => {
      await scf.loans.create(userId, item, {
        // Both checked present before the run starts (the job's SCF settings).
        circ_desk: { value: config.remote_storage_circ_desc! },
        library: { value: config.remote_storage_holding_library! },
      });
    },
  };
}
