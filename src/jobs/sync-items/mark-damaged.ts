import type { Logger } from "../../runtime/logger.js";
import type { FileTransfer } from "../../transfer/file-transfer.js";

/**
 * `OLD/NAME` → `OLD/NAME.damaged`: staff can tell it from the files processed, and no run takes it as a
 * publishing file if it is moved back. If the rename fails, the file stays archived under its plain name.
 */
export async function markDamaged(transfer: FileTransfer, archived: string, logger: Logger): Promise<string> {
  const marked = `${archived}.damaged`;
  try {
    await transfer.rename(archived, marked);
    return marked;
  } catch (error) {
    logger.warn(`could not rename ${archived} to ${marked}: ${(error as Error).message}`);
    return archived;
  }
}
