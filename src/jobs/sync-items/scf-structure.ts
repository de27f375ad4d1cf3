import type { ScfHolding, SyncItemsAlma } from "./scf-port.js";
import { SingleFlight } from "./single-flight.js";

export interface ScfStructureOptions {
  holdingLibrary: string;
  defaultLocation: string;
  dryRun: boolean;
  /** Told once per bib or holding created (or, in a dry run, that would be created). */
  onCreated?: (what: "bib" | "holding", description: string) => void;
}

/** A bib to find or create in the SCF: by its NZ id, else by `(INST)mmsId` with a local record. */
export type BibSource =
  { kind: "nz"; nzMmsId: string } | { kind: "local"; otherSystemId: string; bibXml: () => string };

/** Marks a value that only exists as a plan in --dry-run. */
export const DRY_RUN_ID = "(would be created)";

/**
 * Finds or creates the SCF bib and holding an item goes under, once per run for each bib and each
 * bib + location, however many items ask at the same time.
 */
export class ScfStructure {
  readonly #bibs = new SingleFlight<{ mmsId: string; created: boolean }>();
  readonly #holdings = new SingleFlight<{ holdingId: string; created: boolean }>();
  readonly #locations = new SingleFlight<Set<string>>();

  constructor(
    private readonly alma: SyncItemsAlma,
    private readonly options: ScfStructureOptions,
  ) {}

  bib(source: BibSource): Promise<{ mmsId: string; created: boolean }> {
    const key = source.kind === "nz" ? `nz:${source.nzMmsId}` : `local:${source.otherSystemId}`;
    return this.#bibs.get(key, async () => {
      const found =
        source.kind === "nz"
          ? await this.alma.findScfBibByNzId(source.nzMmsId)
          : await this.alma.findScfBibByOtherSystemId(source.otherSystemId);
      if (found) return { mmsId: found, created: false };
      if (this.options.dryRun) {
        this.options.onCreated?.("bib", key);
        return { mmsId: `${DRY_RUN_ID} ${key}`, created: true };
      }
      const mmsId =
        source.kind === "nz"
          ? await this.alma.createScfBibFromNz(source.nzMmsId)
          : await this.alma.createScfBibFromRecord(source.bibXml(), source.otherSystemId);
      this.options.onCreated?.("bib", mmsId);
      return { mmsId, created: true };
    });
  }

  /**
   * The holding in the SCF library at the location the item actually gets: the item's own location when the
   * SCF library has it, else the default. Reusing that holding is what keeps one holding per bib and location.
   */
  async holding(
    mmsId: string,
    itemLocation: string | undefined,
  ): Promise<{ holdingId: string; created: boolean; location: string }> {
    const location = await this.locationFor(itemLocation);
    const result = await this.#holdings.get(`${mmsId}|${location}`, async () => {
      const existing = mmsId.startsWith(DRY_RUN_ID) ? [] : await this.alma.listScfHoldings(mmsId);
      const match = existing.find(
        (h: ScfHolding) => h.library === this.options.holdingLibrary && h.location === location,
      );
      if (match) return { holdingId: match.holdingId, created: false };
      const description = `${this.options.holdingLibrary}/${location} of bib ${mmsId}`;
      if (this.options.dryRun) {
        this.options.onCreated?.("holding", description);
        return { holdingId: `${DRY_RUN_ID} holding ${location}`, created: true };
      }
      const holdingId = await this.alma.createScfHolding(mmsId, this.options.holdingLibrary, location);
      this.options.onCreated?.("holding", description);
      return { holdingId, created: true };
    });
    return { ...result, location };
  }

  async locationFor(itemLocation: string | undefined): Promise<string> {
    if (!itemLocation) return this.options.defaultLocation;
    const known = await this.#locations.get(
      this.options.holdingLibrary,
      async () => new Set(await this.alma.scfLibraryLocations(this.options.holdingLibrary)),
    );
    return known.has(itemLocation) ? itemLocation : this.options.defaultLocation;
  }
}
