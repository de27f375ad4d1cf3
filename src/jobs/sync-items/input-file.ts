import { stat } from "node:fs/promises";
import { UsageError } from "../../runtime/errors.js";
import type { InputFile } from "../remote-inputs.js";

export type { InputFile } from "../remote-inputs.js";

/** Files given with --file, each checked before anything is done (a typo is a usage error, as in send-requests). */
export async function localInputFiles(paths: readonly string[]): Promise<InputFile[]> {
  for (const file of paths) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new UsageError(`--file ${file}: no such file`);
  }
  return paths.map(localInputFile);
}

/** A file given with --file: nothing to move anywhere when done. */
export function localInputFile(localPath: string): InputFile {
  return { name: localPath, localPath, finished: () => Promise.resolve(), failed: () => Promise.resolve() };
}

/** Publishing files are tar.gz (Alma's format) or MARC-XML (staff reprocessing one extracted file). */
export function isPublishingFileName(name: string): boolean {
  return /\.(tar\.gz|tgz|tar|xml|xml\.gz)$/i.test(name);
}
