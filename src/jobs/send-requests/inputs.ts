import { stat } from "node:fs/promises";
import type { Config } from "../../config/config.js";
import { UsageError } from "../../runtime/errors.js";
import {
  localInputFolder,
  remoteInputFiles,
  remoteInputFolder,
  type InputFile,
  type RemoteInputsOptions,
} from "../remote-inputs.js";

/** A request export to process: a local copy, and what to do with its origin once the job is done with it. */
export type ExportFile = InputFile;

/** `{main_folder}/{INST}/requests`: where Alma's remote-storage integration profile writes the exports. */
export function requestsFolder(config: Config, institution: string): string {
  return remoteInputFolder(config, institution, "requests");
}

/** Where the exports of a run are downloaded to. */
export function requestsWorkFolder(config: Config, institution: string): string {
  return localInputFolder(config, institution, "requests");
}

/** `--file`: local exports, nothing to move anywhere when done. */
export async function localExportFiles(paths: readonly string[]): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  for (const file of paths) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new UsageError(`--file ${file}: no such file`);
    files.push({ name: file, localPath: file, finished: async () => {}, failed: async () => {} });
  }
  return files;
}

export type RemoteExportsOptions = Omit<RemoteInputsOptions, "kind">;

/** The exports waiting on the file server, claimed and downloaded (with --dry-run only downloaded). */
export function remoteExportFiles(options: RemoteExportsOptions): Promise<ExportFile[]> {
  return remoteInputFiles({ ...options, kind: "requests" });
}
