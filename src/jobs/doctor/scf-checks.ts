import type { AlmaClient } from "../../alma/client.js";
import { AlmaError } from "../../alma/errors.js";
import type { AlmaUser } from "../../alma/types.js";
import type { Config } from "../../config/config.js";
import { fail, messageOf, ok, type DoctorCheck } from "./check.js";

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
