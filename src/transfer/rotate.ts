import type { Logger } from "../runtime/logger.js";
import type { FileTransfer } from "./file-transfer.js";
import { joinRemote, rotatedName } from "./remote-path.js";

export interface RotateResult {
  /** The `X_old` that was removed to make room for `X`, if there was one. */
  removed?: string;
  /** Where `X` went, if there was an `X`. */
  rotatedTo?: string;
}

/**
 * Rotates a published output before a new one is made (aspace2alma step 1): removes `X_old`, then renames `X` to
 * `X_old` (`MARC_out.xml` → `MARC_out_old.xml`). A failed run then leaves nothing stale for Alma to import,
 * and the previous output stays one day for a look. Without an `X`, `X_old` stays: after failed days it is the
 * last good output.
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
  if (!(await transfer.exists(current))) {
    options.logger?.info(`nothing to rotate: ${current} is not there; ${old}, if any, is left as it is`);
    return result;
  }
  if (await transfer.exists(old)) {
    await transfer.remove(old);
    result.removed = old;
  }
  await transfer.rename(current, old);
  result.rotatedTo = old;
  options.logger?.info(`rotated ${current} to ${old}`);
  return result;
}
