import type { AlmaClient } from "../../alma/client.js";
import { almaPath } from "../../alma/alma-path.js";
import { AlmaError } from "../../alma/errors.js";
import { allPages } from "../../alma/paging.js";
import type { AlmaLibrary } from "../../alma/types.js";
import type { InstitutionConfig } from "../../config/config.js";
import { fail, messageOf, ok, skip, type DoctorCheck } from "./check.js";

/**
 * Job ids of JOB_END webhooks, each looked up by `GET /conf/jobs/{id}`, so a profile run by hand is found as well
 * as a scheduled one. For an id Alma does not know, the fix lists a few of the scheduled jobs it does.
 */
export async function jobIdChecks(
  client: AlmaClient,
  institution: InstitutionConfig,
  index: number,
): Promise<DoctorCheck[]> {
  const subject = `Alma ${institution.code}`;
  const keys = ["publishing_job_id", "requests_job_id"] as const;
  const checks: DoctorCheck[] = [];
  for (const key of keys) {
    const id = institution[key];
    if (!id) {
      checks.push(
        skip(
          subject,
          `${key} is a job of ${institution.code}`,
          "not configured: JOB_END webhooks will not start it",
        ),
      );
      continue;
    }
    const check = `${key} ${id} is a job of ${institution.code}`;
    if (key === "requests_job_id" && id === institution.publishing_job_id) {
      // The JOB_END of one job would start both sync-items and send-requests.
      checks.push(
        fail(
          subject,
          check,
          "it is also publishing_job_id: one job cannot be both the publishing and the requests export",
          `set institutions[${index}].publishing_job_id and .requests_job_id to the two profiles' own job ids`,
        ),
      );
      continue;
    }
    try {
      const job = await client.conf.job(id);
      checks.push(ok(subject, check, job.name));
    } catch (error) {
      if (!(error instanceof AlmaError) || (error.status !== 400 && error.status !== 404)) {
        checks.push(
          fail(
            subject,
            check,
            `GET /conf/jobs/${id} failed: ${messageOf(error)}`,
            "give the key read access to Configuration",
          ),
        );
        continue;
      }
      const known = await someScheduledJobs(client);
      checks.push(
        fail(
          subject,
          check,
          `Alma has no job ${id}: ${error.status} ${error.errorCode} ${error.errorMessage}`.trim(),
          `set institutions[${index}].${key} to the id GET /almaws/v1/conf/jobs?profile_id=<the profile's id> ` +
            `answers (editing a profile can change it)${known ? `; scheduled jobs: ${known}` : ""}`,
        ),
      );
    }
  }
  return checks;
}

/** A few of the institution's scheduled jobs, as a hint; "" when they cannot be listed. */
async function someScheduledJobs(client: AlmaClient): Promise<string> {
  try {
    const jobs = await client.conf.jobs({ type: "SCHEDULED" });
    return jobs
      .slice(0, 6)
      .map((job) => `${job.id}${job.name ? ` "${job.name}"` : ""}`)
      .join(", ");
  } catch {
    return "";
  }
}

/**
 * Each library's `remote_storage_location` codes are locations of that library in the member's Alma: a mistyped
 * code makes sync-items treat the items there as not in remote storage.
 */
export async function remoteLocationChecks(
  client: AlmaClient,
  institution: InstitutionConfig,
  index: number,
): Promise<DoctorCheck[]> {
  const subject = `Alma ${institution.code}`;
  const checks: DoctorCheck[] = [];
  let known: Promise<AlmaLibrary[]> | undefined;
  for (const [libraryIndex, library] of institution.libraries.entries()) {
    if (library.remote_storage_location.length === 0) continue;
    const check = `library ${library.code} has locations ${library.remote_storage_location.join(", ")}`;
    const key = `institutions[${index}].libraries[${libraryIndex}]`;
    try {
      const libraries = await (known ??= client.conf.libraries());
      if (!libraries.some((candidate) => candidate.code === library.code)) {
        const codes = libraries.map((candidate) => candidate.code).join(", ");
        checks.push(
          fail(subject, check, `no library ${library.code} (libraries: ${codes})`, `correct ${key}.code`),
        );
        continue;
      }
      const codes = new Set((await client.conf.locations(library.code)).map((location) => location.code));
      const missing = library.remote_storage_location.filter((code) => !codes.has(code));
      checks.push(
        missing.length === 0
          ? ok(subject, check)
          : fail(
              subject,
              check,
              `no location ${missing.join(", ")} in ${library.code} (locations: ${[...codes].join(", ")})`,
              `correct ${key}.remote_storage_location: the codes of the locations typed "Remote Storage"`,
            ),
      );
    } catch (error) {
      checks.push(fail(subject, check, messageOf(error), "give the key read access to Configuration"));
    }
  }
  return checks;
}

/** A library's circulation desk codes (`GET /conf/libraries/{code}/circ-desks`; ConfApi has no method for it). */
function circDesks(client: AlmaClient, library: string): Promise<string[]> {
  return allPages<{ code: string }>(
    client.transport,
    almaPath`conf/libraries/${library}/circ-desks`,
    "circ_desk",
  ).then((desks) => desks.map((desk) => desk.code));
}

/**
 * The circulation desks the jobs name: each member library's `circ_desc` where remote-storage items are scanned
 * in, and the SCF's `remote_storage_circ_desc` in its holding library, where the new items are loaned.
 */
export async function circDeskChecks(
  client: AlmaClient,
  places: readonly { library: string; desk: string | undefined; key: string; why: string }[],
  subject: string,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const { library, desk, key, why } of places) {
    if (!desk) {
      checks.push(
        fail(
          subject,
          `library ${library} has a circulation desk configured`,
          `${key} is not set`,
          `set ${key} (${why})`,
        ),
      );
      continue;
    }
    const check = `library ${library} has circulation desk ${desk}`;
    try {
      const desks = await circDesks(client, library);
      checks.push(
        desks.includes(desk)
          ? ok(subject, check)
          : fail(
              subject,
              check,
              `desks of ${library}: ${desks.join(", ") || "none"}`,
              `set ${key} to one of them (${why})`,
            ),
      );
    } catch (error) {
      checks.push(fail(subject, check, messageOf(error), `check ${key} and that library ${library} exists`));
    }
  }
  return checks;
}
