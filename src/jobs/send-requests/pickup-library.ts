import type { Config } from "../../config/config.js";
import type { Logger } from "../../runtime/logger.js";
import type { LibraryJson, SendRequestsAlma } from "./alma-port.js";
import type { SourceRequest } from "./source-request.js";

/** Where the SCF sends what a request asks for: the pickup institution and library, and how it was found. */
export interface PickupLibrary {
  institution: string;
  library: string | undefined;
  how: "libraryCode" | "library name" | "default_library" | "unresolved";
}

/**
 * Seed 001 §7.2 and §15: `xb:libraryCode`; else the pickup library's **name** looked up in the pickup
 * institution's `GET /conf/libraries`; else that institution's `default_library`. The library list is read once
 * per institution per run (the promise is kept, so requests processed at once share one call); a read that
 * failed is tried again by the next request that needs it.
 */
export class PickupLibraries {
  readonly #names = new Map<string, Promise<Map<string, string>>>();

  constructor(
    private readonly config: Config,
    private readonly alma: SendRequestsAlma,
    private readonly logger: Logger,
    /** Decides whether a failed library list falls back to `default_library` (true) or stops the run (false). */
    private readonly fallsBack: (error: unknown) => boolean,
  ) {}

  async resolve(request: SourceRequest, sourceInstitution: string): Promise<PickupLibrary> {
    const institution = request.institutionCode ?? sourceInstitution;
    if (request.libraryCode) return { institution, library: request.libraryCode, how: "libraryCode" };
    if (request.pickupLibraryName) {
      const code = await this.#codeOf(institution, request.pickupLibraryName);
      if (code) return { institution, library: code, how: "library name" };
    }
    const fallback = this.config.institutions.find((inst) => inst.code === institution)?.default_library;
    if (fallback) return { institution, library: fallback, how: "default_library" };
    return { institution, library: undefined, how: "unresolved" };
  }

  async #codeOf(institution: string, name: string): Promise<string | undefined> {
    let names = this.#names.get(institution);
    if (!names) {
      names = this.#load(institution);
      this.#names.set(institution, names);
      // A failed list is not kept: the next request of the institution asks Alma again.
      names.catch(() => this.#names.delete(institution));
    }
    const byName = await names;
    return byName.get(name) ?? byName.get(normalise(name));
  }

  async #load(institution: string): Promise<Map<string, string>> {
    const client = this.alma.member(institution);
    if (!client) {
      this.logger.warn(
        `pickup institution ${institution} is not configured: its library names cannot be looked up`,
      );
      return new Map();
    }
    let libraries: LibraryJson[];
    try {
      libraries = await client.libraries();
    } catch (error) {
      if (!this.fallsBack(error)) throw error;
      this.logger.warn(
        `cannot read the libraries of ${institution} (${(error as Error).message}); ` +
          `pickup library names of ${institution} fall back to its default_library`,
      );
      return new Map();
    }
    const byName = new Map<string, string>();
    for (const library of libraries) {
      if (!library.name) continue;
      byName.set(library.name, library.code);
      if (!byName.has(normalise(library.name))) byName.set(normalise(library.name), library.code);
    }
    return byName;
  }
}

/** Names compared without case and with runs of spaces made one: "Collections  annex" finds "Collections Annex". */
function normalise(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}
