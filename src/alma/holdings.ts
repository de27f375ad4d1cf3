import { escapeText } from "../marc/xml-escape.js";
import { almaPath } from "./alma-path.js";
import { getObject, sendForObject } from "./calls.js";
import { listOf } from "./json-shapes.js";
import type { AlmaTransport } from "./transport.js";
import type { AlmaHolding } from "./types.js";

/** Holdings of a bib: list them, create one for a library and location. */
export class HoldingsApi {
  constructor(private readonly transport: AlmaTransport) {}

  async list(mmsId: string): Promise<AlmaHolding[]> {
    const body = await getObject<unknown>(this.transport, almaPath`bibs/${mmsId}/holdings`);
    return listOf<AlmaHolding>(body, "holding");
  }

  /** The bib's holding in `library`/`location` (exact codes), if any. */
  async findByLocation(mmsId: string, library: string, location: string): Promise<AlmaHolding | undefined> {
    const holdings = await this.list(mmsId);
    return holdings.find(
      (holding) => holding.library?.value === library && holding.location?.value === location,
    );
  }

  /**
   * Creates a holding in `library`/`location` (the seed's 852 template, not suppressed); after an uncertain
   * outcome, looks for a holding in that location before writing again.
   */
  create(mmsId: string, library: string, location: string): Promise<AlmaHolding> {
    return this.transport.writeOnce(
      () => this.createFromXml(mmsId, holdingXml(library, location)),
      () => this.findByLocation(mmsId, library, location),
    );
  }

  /** Creates a holding from a `<holding>` document as is: no look-up, so an uncertain outcome is thrown. */
  createFromXml(mmsId: string, xml: string): Promise<AlmaHolding> {
    return sendForObject<AlmaHolding>(this.transport, {
      method: "POST",
      path: almaPath`bibs/${mmsId}/holdings`,
      xml,
    });
  }
}

/** The seed's holding template (001 §6.3.2): an 852 with $b library and $c location. */
export function holdingXml(library: string, location: string): string {
  return (
    `<holding><record><datafield ind1="0" ind2=" " tag="852">` +
    `<subfield code="b">${escapeText(library)}</subfield>` +
    `<subfield code="c">${escapeText(location)}</subfield>` +
    `</datafield></record><suppress_from_publishing>false</suppress_from_publishing></holding>`
  );
}
