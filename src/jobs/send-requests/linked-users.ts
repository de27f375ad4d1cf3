import type { Logger } from "../../runtime/logger.js";
import type { RunReport } from "../../runtime/run-report.js";
import type { InstitutionAlma, SendRequestsAlma, UserJson } from "./alma-port.js";
import { kindOf } from "./error-kinds.js";
import { RequestFailure } from "./errors.js";

export interface LinkedUsersOptions {
  alma: SendRequestsAlma;
  sourceInstitution: string;
  report: RunReport;
  logger: Logger;
  dryRun: boolean;
}

/**
 * Patrons of a member institution as linked users of the SCF (seed 001 §7.6 step 3–4, §12): found, or created
 * from the member's record, then refreshed. Each patron is settled once per run (the promise is kept), so two
 * requests of one patron never create two linked users.
 */
export class LinkedUsers {
  readonly #settled = new Map<string, Promise<string>>();

  constructor(private readonly options: LinkedUsersOptions) {}

  /** The SCF primary id of the linked user for patron `sourceUserId` of the source institution. */
  scfUserFor(sourceUserId: string): Promise<string> {
    let settled = this.#settled.get(sourceUserId);
    if (!settled) {
      settled = this.#settle(sourceUserId);
      this.#settled.set(sourceUserId, settled);
      // A failure is not kept: the next request of the patron tries again.
      settled.catch(() => this.#settled.delete(sourceUserId));
    }
    return settled;
  }

  async #settle(sourceUserId: string): Promise<string> {
    const { sourceInstitution, logger, dryRun } = this.options;
    const source = this.#member(sourceInstitution);
    const patron = await source.getUser(sourceUserId, "all_unique");
    if (!patron) throw new RequestFailure(`patron ${sourceUserId} is not in ${sourceInstitution}`);
    const origin = originOf(patron, sourceInstitution);
    let scfUser = await this.#findLinked(origin);
    if (!scfUser) {
      const homeUserId = origin.homeUserId ?? (await this.#homeUserId(origin));
      if (dryRun) {
        this.options.report.plan({
          action: "create linked user",
          target: `in the SCF for patron ${homeUserId} of ${origin.institution}`,
        });
        return `(linked user of ${origin.institution} patron ${homeUserId})`;
      }
      scfUser = await this.#create(origin.institution, homeUserId);
      logger.info(
        `created SCF linked user ${scfUser.primary_id} for patron ${homeUserId} of ${origin.institution}`,
      );
      this.options.report.count("linked users created");
    }
    if (!dryRun) await this.#refresh(scfUser.primary_id);
    return scfUser.primary_id;
  }

  /**
   * A refresh the SCF refuses (a 4xx) is no reason to cancel the patron's request (ADR 0008): the linked user as
   * it is can still take it.
   */
  async #refresh(scfUserId: string): Promise<void> {
    try {
      await this.options.alma.scf.refreshUser(scfUserId);
    } catch (error) {
      if (kindOf(error) !== "refused") throw error;
      this.options.logger.warn(
        `the SCF would not refresh linked user ${scfUserId} (${(error as Error).message}); ` +
          `the request is placed for the linked user as it is`,
      );
    }
  }

  /** A patron the SCF refuses to link is staff's to look at: the patron's request is left as it is. */
  async #create(institution: string, homeUserId: string): Promise<UserJson> {
    try {
      return await this.options.alma.scf.createLinkedUser(institution, homeUserId);
    } catch (error) {
      if (kindOf(error) !== "refused") throw error;
      throw new RequestFailure(
        `the SCF would not create a linked user for patron ${homeUserId} of ${institution}: ${(error as Error).message}`,
        { cancelSource: false, cause: error },
      );
    }
  }

  /** By the patron's linking id, then by its primary id (Alma's look-up takes either, depending on the setup). */
  async #findLinked(origin: Origin): Promise<UserJson | undefined> {
    const scf = this.options.alma.scf;
    const ids = [origin.linkingId, origin.homeUserId].filter((id): id is string => id !== undefined);
    for (const id of new Set(ids)) {
      const found = await scf.getLinkedUser(id, origin.institution);
      if (found) return found;
    }
    return undefined;
  }

  /** A patron linked into the member from a third institution: its primary id there, read by linking id. */
  async #homeUserId(origin: Origin): Promise<string> {
    const home = this.options.alma.member(origin.institution);
    if (!home) {
      throw new RequestFailure(
        `the patron's record comes from ${origin.institution}, which is not configured: ` +
          `no SCF linked user can be made`,
        { cancelSource: false },
      );
    }
    const user = origin.linkingId ? await home.getUser(origin.linkingId, "linking_id") : undefined;
    if (!user) {
      throw new RequestFailure(
        `the patron's record in ${origin.institution} (linking id ${origin.linkingId ?? "none"}) was not found: ` +
          `no SCF linked user can be made`,
        { cancelSource: false },
      );
    }
    return user.primary_id;
  }

  #member(code: string): InstitutionAlma {
    const member = this.options.alma.member(code);
    if (!member) throw new RequestFailure(`institution ${code} is not configured`, { cancelSource: false });
    return member;
  }
}

/** Where the patron's own record lives: the member itself, or the institution the member links it from. */
interface Origin {
  institution: string;
  /** The patron's primary id there, when known without a look-up. */
  homeUserId: string | undefined;
  linkingId: string | undefined;
}

function originOf(patron: UserJson, sourceInstitution: string): Origin {
  if (patron.source_link_id && patron.source_institution_code) {
    return {
      institution: patron.source_institution_code,
      homeUserId: undefined,
      linkingId: patron.source_link_id,
    };
  }
  return { institution: sourceInstitution, homeUserId: patron.primary_id, linkingId: patron.linking_id };
}
