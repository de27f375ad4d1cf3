/** A publishing file to process: a local copy, and what to do with its origin when the job is done with it. */
export interface InputFile {
  /** The name staff know it by (remote file name or the path given with --file). */
  name: string;
  localPath: string;
  /** The job is done with it: the claimed remote file stays claimed, the local copy may go. */
  finished(): Promise<void>;
  /** The job could not process it: the remote file goes back where it was; the local copy stays. */
  failed(reason: string): Promise<void>;
}

/** Files given with --file: nothing to move anywhere when done. */
export function localInputFile(localPath: string): InputFile {
  return { name: localPath, localPath, finished: () => Promise.resolve(), failed: () => Promise.resolve() };
}

/** Publishing files are tar.gz (Alma's format) or MARC-XML (staff reprocessing one extracted file). */
export function isPublishingFileName(name: string): boolean {
  return /\.(tar\.gz|tgz|tar|xml|xml\.gz)$/i.test(name);
}
