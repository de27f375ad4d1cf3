import { almaPath } from "./alma-path.js";
import { getObject } from "./calls.js";
import { listOf } from "./json-shapes.js";
import { allPages, eachPage, type AllPagesOptions } from "./paging.js";
import type { AlmaTransport, QueryValue } from "./transport.js";
import type { AlmaJob, AlmaLibrary, AlmaLocation, AlmaSetMember } from "./types.js";

/** Configuration: libraries, locations, set members, jobs. */
export class ConfApi {
  constructor(private readonly transport: AlmaTransport) {}

  /** Every library of the institution (Alma does not page this list). */
  async libraries(): Promise<AlmaLibrary[]> {
    return listOf<AlmaLibrary>(await getObject<unknown>(this.transport, "conf/libraries"), "library");
  }

  /** Every location of a library (not paged either). */
  async locations(libraryCode: string): Promise<AlmaLocation[]> {
    const body = await getObject<unknown>(this.transport, almaPath`conf/libraries/${libraryCode}/locations`);
    return listOf<AlmaLocation>(body, "location");
  }

  /** The members of a set, fetched 100 at a time as the caller reads on. */
  setMembers(setId: string): AsyncGenerator<AlmaSetMember> {
    return eachPage<AlmaSetMember>(this.transport, almaPath`conf/sets/${setId}/members`, "member");
  }

  /** Every member of a set, the pages fetched a few at once. */
  allSetMembers(setId: string, options: AllPagesOptions = {}): Promise<AlmaSetMember[]> {
    return allPages<AlmaSetMember>(
      this.transport,
      almaPath`conf/sets/${setId}/members`,
      "member",
      {},
      options,
    );
  }

  /** One job by its id, whatever its type (scheduled, manual, …). */
  job(jobId: string): Promise<AlmaJob> {
    return getObject<AlmaJob>(this.transport, almaPath`conf/jobs/${jobId}`);
  }

  /** Jobs, e.g. `{ profile_id }` to find a publishing or export profile's job id (every page). */
  jobs(query: Record<string, QueryValue> = {}): Promise<AlmaJob[]> {
    return allPages<AlmaJob>(this.transport, "conf/jobs", "job", query);
  }
}
