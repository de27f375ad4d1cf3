import type { InputFile } from "../remote-inputs.js";

export type { InputFile } from "../remote-inputs.js";

/** Files given with --file: nothing to move anywhere when done. */
export function localInputFile(localPath: string): InputFile {
  return { name: localPath, localPath, finished: () => Promise.resolve(), failed: () => Promise.resolve() };
}

/** Publishing files are tar.gz (Alma's format) or MARC-XML (staff reprocessing one extracted file). */
export function isPublishingFileName(name: string): boolean {
  return /\.(tar\.gz|tgz|tar|xml|xml\.gz)$/i.test(name);
}
