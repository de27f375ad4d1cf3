import type { Logger } from "../runtime/logger.js";
import type { FileTransfer } from "./file-transfer.js";
import { joinRemote, rotatedName } from "./remote-path.js";

export interface RotateResult {
  /** The `X_old` that was removed, if there was one. */
  removed?: string;
  /** Where `X` went, if there was an `X`. */
  rotatedTo?: string;
}

/**
 * Rotates a published output before a new one is made (aspace2alma step 1): removes `X_old`, then renames `X` to
 * `X_old` (`MARC_out.xml` → `MARC_out_old.xml`). A failed run then leaves nothing stale for Alma to import,
 * and the previous output stays one day for a look.
 */
export async function rotate(
  transfer: FileTransfer,
  dir: string,
  name: string,
  options: { logger?: Logger } = {},
): Promise<RotateResult> {
  const current = joinRemote(dir, name);
  const old = joinRemote(dir, rotatedName(name));
  const result: RotateResult = {};
  if (await transfer.exists(old)) {
    await transfer.remove(old);
    result.removed = old;
  }
  if (await transfer.exists(current)) {
    await transfer.rename(current, old);
    result.rotatedTo = old;
  }
  options.logger?.info(
    result.rotatedTo ? `rotated ${current} to ${old}` : `nothing to rotate: ${current} is not there`,
  );
  return result;
}
