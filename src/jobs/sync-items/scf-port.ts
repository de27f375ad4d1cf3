import type { AlmaItemJson } from "./scf-item-body.js";

/** A holding of an SCF bib, as far as sync-items cares. */
export interface ScfHolding {
  holdingId: string;
  library: string;
  location: string;
}

/**
 * The Alma operations sync-items uses, on the SCF and on the member. Each write is "look, then write" safe:
 * after an uncertain outcome (a time-out) the implementation looks before writing again.
 */
export interface SyncItemsAlma {
  findScfItem(scfBarcode: string): Promise<AlmaItemJson | undefined>;
  getMemberItem(barcode: string): Promise<AlmaItemJson | undefined>;
  findScfBibByNzId(nzMmsId: string): Promise<string | undefined>;
  findScfBibByOtherSystemId(otherSystemId: string): Promise<string | undefined>;
  createScfBibFromNz(nzMmsId: string): Promise<string>;
  /** `<bib><record>…</record></bib>`: returns the new MMS id. */
  createScfBibFromRecord(bibXml: string, otherSystemId: string): Promise<string>;
  listScfHoldings(mmsId: string): Promise<ScfHolding[]>;
  createScfHolding(mmsId: string, library: string, location: string): Promise<string>;
  scfLibraryLocations(library: string): Promise<string[]>;
  createScfItem(mmsId: string, holdingId: string, body: AlmaItemJson): Promise<AlmaItemJson>;
  updateScfItem(mmsId: string, holdingId: string, pid: string, body: AlmaItemJson): Promise<AlmaItemJson>;
  deleteScfItem(mmsId: string, holdingId: string, pid: string): Promise<void>;
  createScfLoan(
    userId: string,
    item: { mmsId: string; holdingId: string; pid: string; scfBarcode: string },
  ): Promise<void>;
}
