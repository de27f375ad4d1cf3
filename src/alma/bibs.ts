import { almaPath } from "./alma-path.js";
import { findObject, sendForObject } from "./calls.js";
import { listOf } from "./json-shapes.js";
import type { AlmaTransport } from "./transport.js";
import type { AlmaBib } from "./types.js";

export interface CreateBibOptions {
  /** Replaces the default look-up run after an uncertain create (see `writeOnce`). */
  lookup?: () => Promise<AlmaBib | undefined>;
}

/** Bib records: search by Network Zone id or other system id, read one, create from the NZ or from MARC-XML. */
export class BibsApi {
  constructor(private readonly transport: AlmaTransport) {}

  /** The institution's bib linked to Network Zone record `nzMmsId`, if any. */
  findByNzId(nzMmsId: string): Promise<AlmaBib | undefined> {
    return this.#search({ nz_mms_id: nzMmsId });
  }

  /** The bib carrying `otherSystemId` (an 035 such as `(01AAA_AB)991000000010001`), if any. */
  findByOtherSystemId(otherSystemId: string): Promise<AlmaBib | undefined> {
    return this.#search({ other_system_id: otherSystemId });
  }

  /** One bib by MMS id, or `undefined`. */
  get(mmsId: string): Promise<AlmaBib | undefined> {
    return findObject<AlmaBib>(this.transport, almaPath`bibs/${mmsId}`, { view: "full", expand: "None" });
  }

  /** Creates a local bib linked to Network Zone record `nzMmsId`; after an uncertain outcome, looks it up first. */
  createFromNz(nzMmsId: string, options: CreateBibOptions = {}): Promise<AlmaBib> {
    return this.transport.writeOnce(
      () =>
        sendForObject<AlmaBib>(this.transport, {
          method: "POST",
          path: "bibs",
          query: { from_nz_mms_id: nzMmsId, validate: false, override_warning: true },
          xml: "<bib/>",
        }),
      options.lookup ?? (() => this.findByNzId(nzMmsId)),
    );
  }

  /**
   * Creates a local bib from `<bib><record>…</record></bib>`. `otherSystemId` is the 035 the record carries
   * (`(INST)mmsId`): after an uncertain outcome, the bib is looked up by it before writing again.
   */
  createLocal(bibXml: string, otherSystemId: string, options: CreateBibOptions = {}): Promise<AlmaBib> {
    return this.transport.writeOnce(
      () =>
        sendForObject<AlmaBib>(this.transport, {
          method: "POST",
          path: "bibs",
          query: { validate: false, override_warning: true },
          xml: bibXml,
        }),
      options.lookup ?? (() => this.findByOtherSystemId(otherSystemId)),
    );
  }

  async #search(query: Record<string, string>): Promise<AlmaBib | undefined> {
    const body = await findObject<unknown>(this.transport, "bibs", {
      ...query,
      view: "full",
      expand: "p_avail",
    });
    return listOf<AlmaBib>(body, "bib")[0];
  }
}
