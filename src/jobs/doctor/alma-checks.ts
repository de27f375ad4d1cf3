import type { AlmaClient } from "../../alma/client.js";
import { almaPath } from "../../alma/alma-path.js";
import { AlmaError, AlmaNetworkError } from "../../alma/errors.js";
import { allPages } from "../../alma/paging.js";
import type { AlmaArea } from "../../alma/test-endpoints.js";
import type { AlmaJob, AlmaLibrary, AlmaUser } from "../../alma/types.js";
import type { Config, InstitutionConfig } from "../../config/config.js";
import { fail, messageOf, ok, skip, type DoctorCheck } from "./check.js";

/** The areas the jobs call, and how: members and the SCF alike (reference §3: Bibs, Configuration, Users). */
const AREAS: readonly { area: AlmaArea; name: string; access: "read" | "write" }[] = [
  { area: "bibs", name: "Bibs", access: "read" },
  { area: "bibs", name: "Bibs", access: "write" },
  { area: "users", name: "Users", access: "read" },
  { area: "users", name: "Users", access: "write" },
  { area: "conf", name: "Configuration", access: "read" },
];

/** What the key checks of one institution found, for the checks that follow. */
export interface KeyVerdict {
  checks: DoctorCheck[];
  /** Alma answered and took the key: the institution's other checks can run. */
  usable: boolean;
  /** The key may read Configuration (jobs, libraries). */
  readsConf: boolean;
  /** Why the other checks cannot run, when they cannot. */
  unusable?: string;
}

/**
 * `GET|POST /almaws/v1/{area}/test` for each area the jobs need. A key refused everywhere (401) or an unreachable
 * gateway is one ✘: the area checks would all say the same.
 */
export async function keyChecks(client: AlmaClient, subject: string, keyPath: string): Promise<KeyVerdict> {
  const answers = [];
  for (const { area, name, access } of AREAS) {
    try {
      answers.push({ name, access, answer: await client.test.check(area, access) });
    } catch (error) {
      return {
        checks: [unreachable(subject, error)],
        usable: false,
        readsConf: false,
        unusable: "not checked: Alma did not answer",
      };
    }
  }
  const refused = (status: number) => status === 401;
  if (answers.every(({ answer }) => !answer.ok && refused(answer.status))) {
    const first = answers[0]!.answer;
    return {
      checks: [
        fail(
          subject,
          "API key accepted by Alma",
          first.ok ? "" : `${first.status} ${first.errorCode}: ${first.errorMessage}`,
          `${keyPath} is not a key Alma accepts for ${client.institution}: copy it again from the Developer ` +
            "Network (Manage API keys); it must be a production key of this institution",
        ),
      ],
      usable: false,
      readsConf: false,
      unusable: "not checked: Alma refused the key",
    };
  }
  const checks = answers.map(({ name, access, answer }) => {
    const check = `API key can ${access} ${name}`;
    if (answer.ok) return ok(subject, check);
    return fail(
      subject,
      check,
      `${answer.status} ${answer.errorCode}${answer.errorMessage ? `: ${answer.errorMessage}` : ""}`,
      `in the Developer Network, give this key of ${client.institution} ${access === "read" ? "read" : "read/write"} ` +
        `access to ${name} (${keyPath})`,
    );
  });
  const readsConf = answers.some(({ name, answer }) => name === "Configuration" && answer.ok);
  return { checks, usable: true, readsConf };
}

function unreachable(subject: string, error: unknown): DoctorCheck {
  if (error instanceof AlmaNetworkError) {
    return fail(
      subject,
      "Alma answers at the gateway",
      messageOf(error),
      "check gateway (e.g. https://api-na.hosted.exlibrisgroup.com) and that this server may reach it",
    );
  }
  return fail(subject, "Alma answers at the gateway", messageOf(error), "check gateway and try again");
}

/**
 * Job ids of JOB_END webhooks: `GET /conf/jobs?type=SCHEDULED`, every page (publishing and integration profiles
 * run as scheduled jobs; without the type Alma lists its hundreds of manual jobs too).
 */
export async function jobIdChecks(
  client: AlmaClient,
  institution: InstitutionConfig,
  index: number,
): Promise<DoctorCheck[]> {
  const subject = `Alma ${institution.code}`;
  const keys = ["publishing_job_id", "requests_job_id"] as const;
  const configured = keys.filter((key) => institution[key]);
  const checks: DoctorCheck[] = keys
    .filter((key) => !institution[key])
    .map((key) =>
      skip(
        subject,
        `${key} is a job of ${institution.code}`,
        "not configured: JOB_END webhooks will not start it",
      ),
    );
  if (configured.length === 0) return checks;
  let jobs: AlmaJob[];
  try {
    jobs = await client.conf.jobs({ type: "SCHEDULED" });
  } catch (error) {
    return [
      ...checks,
      ...configured.map((key) =>
        fail(
          subject,
          `${key} is a job of ${institution.code}`,
          `GET /conf/jobs?type=SCHEDULED failed: ${messageOf(error)}`,
          "give the key read access to Configuration",
        ),
      ),
    ];
  }
  for (const key of configured) {
    const id = institution[key]!;
    const job = jobs.find((candidate) => candidate.id === id);
    const check = `${key} ${id} is a job of ${institution.code}`;
    if (job) {
      checks.push(ok(subject, check, job.name));
      continue;
    }
    const known = jobs
      .slice(0, 6)
      .map((candidate) => `${candidate.id}${candidate.name ? ` "${candidate.name}"` : ""}`)
      .join(", ");
    checks.push(
      fail(
        subject,
        check,
        `no job ${id} among the ${jobs.length} scheduled jobs Alma lists`,
        `set institutions[${index}].${key} to the id GET /almaws/v1/conf/jobs?profile_id=<the profile's id> ` +
          `answers (editing a profile can change it)${known ? `; jobs found: ${known}` : ""}`,
      ),
    );
  }
  return checks;
}

/**
 * The SCF's system users `{INST}-{LIB}`, with a home address (the HOLDs it receives are delivered there): one per
 * member library holding remote-storage locations, and the member's default library.
 */
export async function systemUserChecks(scf: AlmaClient, config: Config): Promise<DoctorCheck[]> {
  const subject = `SCF ${scf.institution}`;
  const checks: DoctorCheck[] = [];
  for (const institution of config.institutions) {
    const libraries = new Set(
      institution.libraries
        .filter((library) => library.remote_storage_location.length > 0)
        .map((library) => library.code),
    );
    if (institution.default_library) libraries.add(institution.default_library);
    for (const library of libraries) {
      const userId = `${institution.code}-${library}`;
      const check = `system user ${userId} exists, with a home address`;
      const create = `create user ${userId} in the SCF with a home address (the facility's delivery address for ${library})`;
      let user: AlmaUser | undefined;
      try {
        user = await scf.users.get(userId);
      } catch (error) {
        checks.push(fail(subject, check, messageOf(error), create));
        continue;
      }
      if (!user) checks.push(fail(subject, check, `GET /users/${userId}: no such user`, create));
      else if (!hasHomeAddress(user))
        checks.push(
          fail(
            subject,
            check,
            "the user has no home address",
            `add a home address to user ${userId} in the SCF`,
          ),
        );
      else checks.push(ok(subject, check));
    }
  }
  return checks;
}

function hasHomeAddress(user: AlmaUser): boolean {
  const contact = user.contact_info as { address?: { address_type?: { value?: string }[] }[] } | undefined;
  return (contact?.address ?? []).some((address) =>
    (address.address_type ?? []).some((type) => type.value?.toLowerCase() === "home"),
  );
}

/** `remote_storage_holding_library` and `_location` exist in the SCF (new holdings are made there). */
export async function holdingPlaceChecks(scf: AlmaClient, config: Config): Promise<DoctorCheck[]> {
  const subject = `SCF ${scf.institution}`;
  const library = config.remote_storage_holding_library;
  const location = config.remote_storage_holding_location;
  if (!library) {
    return [
      fail(
        subject,
        "remote_storage_holding_library is set",
        "not configured",
        "set remote_storage_holding_library to the SCF library code holding the shared collection",
      ),
    ];
  }
  const check = `library ${library} has location ${location ?? "(remote_storage_holding_location)"}`;
  try {
    const libraries = await scf.conf.libraries();
    if (!libraries.some((candidate) => candidate.code === library)) {
      const known = libraries.map((candidate) => candidate.code).join(", ");
      return [
        fail(
          subject,
          check,
          `no library ${library} (libraries: ${known})`,
          "set remote_storage_holding_library to one of them",
        ),
      ];
    }
    if (!location) {
      return [
        fail(
          subject,
          check,
          "remote_storage_holding_location is not set",
          "set it to a location of the library",
        ),
      ];
    }
    const locations = await scf.conf.locations(library);
    if (!locations.some((candidate) => candidate.code === location)) {
      const known = locations.map((candidate) => candidate.code).join(", ");
      return [
        fail(
          subject,
          check,
          `no location ${location} in ${library} (locations: ${known})`,
          "set remote_storage_holding_location to one of them",
        ),
      ];
    }
    return [ok(subject, check)];
  } catch (error) {
    const denied = error instanceof AlmaError && (error.status === 401 || error.status === 403);
    return [
      fail(
        subject,
        check,
        messageOf(error),
        denied ? "give the SCF key read access to Configuration" : "check the SCF's configuration",
      ),
    ];
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
