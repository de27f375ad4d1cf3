import { almaPath } from "./alma-path.js";
import { findObject, sendForObject } from "./calls.js";
import type { AlmaTransport } from "./transport.js";
import type { AlmaUser } from "./types.js";

export interface CreateLinkedUserOptions {
  /** Replaces the default look-up run after an uncertain create (see `writeOnce`). */
  lookup?: () => Promise<AlmaUser | undefined>;
}

/** Users: read one, find and create linked users (a patron of a member institution known to the SCF). */
export class UsersApi {
  constructor(private readonly transport: AlmaTransport) {}

  /** A user by any of its identifiers (`user_id_type`, default `all_unique`), or `undefined`. */
  get(userId: string, userIdType = "all_unique"): Promise<AlmaUser | undefined> {
    return findObject<AlmaUser>(this.transport, almaPath`users/${userId}`, { user_id_type: userIdType });
  }

  /** The linked user for `userId` of institution `sourceInstitutionCode`, or `undefined`. */
  getLinked(userId: string, sourceInstitutionCode: string): Promise<AlmaUser | undefined> {
    return findObject<AlmaUser>(this.transport, almaPath`users/${userId}`, {
      source_institution_code: sourceInstitutionCode,
    });
  }

  /**
   * Creates the linked user for `sourceUserId` of institution `sourceInstitutionCode`; after an uncertain
   * outcome, looks the linked user up first.
   */
  createLinked(
    sourceInstitutionCode: string,
    sourceUserId: string,
    options: CreateLinkedUserOptions = {},
  ): Promise<AlmaUser> {
    return this.transport.writeOnce(
      () =>
        sendForObject<AlmaUser>(this.transport, {
          method: "POST",
          path: "users",
          query: { source_institution_code: sourceInstitutionCode, source_user_id: sourceUserId },
          json: {},
        }),
      options.lookup ?? (() => this.getLinked(sourceUserId, sourceInstitutionCode)),
    );
  }

  /** Refreshes a linked user from its source institution; repeating it does no harm, so it is retried. */
  refresh(userId: string): Promise<AlmaUser> {
    return sendForObject<AlmaUser>(this.transport, {
      method: "POST",
      path: almaPath`users/${userId}`,
      query: { op: "refresh" },
      json: {},
      replaySafe: true,
    });
  }
}
