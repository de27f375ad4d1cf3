import type { InstitutionConfig } from "../../config/config.js";

/**
 * Whether a member's library + location pair is one of its configured remote-storage locations. Exact match of
 * both codes: the reference's substring test made `rs` match `rs_shared`.
 */
export function isInRemoteStorage(
  institution: InstitutionConfig,
  library: string | undefined,
  location: string | undefined,
): boolean {
  if (!library || !location) return false;
  return institution.libraries.some(
    (lib) => lib.code === library && lib.remote_storage_location.includes(location),
  );
}
