import path from "node:path";

// Remote paths are always POSIX, whatever the local platform.

export const joinRemote = (...parts: string[]): string => path.posix.join(...parts);
export const remoteDirname = (remotePath: string): string => path.posix.dirname(remotePath);
export const remoteBasename = (remotePath: string): string => path.posix.basename(remotePath);

/** A name split before its extension; `.tar.gz` and the like count as one extension. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const match = /^(.+?)(\.tar\.[A-Za-z0-9]+|\.[A-Za-z0-9]+)$/.exec(name);
  return match ? { stem: match[1]!, ext: match[2]! } : { stem: name, ext: "" };
}

/** Where an upload is written before it is renamed over its target: `.<name>.part` in the same folder. */
export function partPathFor(remotePath: string): string {
  return joinRemote(remoteDirname(remotePath), `.${remoteBasename(remotePath)}.part`);
}

/** The name a published output is rotated to: `MARC_out.xml` → `MARC_out_old.xml`. */
export function rotatedName(name: string): string {
  const { stem, ext } = splitExtension(name);
  return `${stem}_old${ext}`;
}

/** `name`, then `stem~1.ext`, `stem~2.ext`, …: the names a file may take without replacing another. */
export function* nameCandidates(name: string): Generator<string, never> {
  yield name;
  const { stem, ext } = splitExtension(name);
  for (let n = 1; ; n++) yield `${stem}~${n}${ext}`;
}

/**
 * `name` if it is not taken, else the first free `stem~N.ext` (N from 1): a file is never silently overwritten
 * and its extension still says what it is.
 */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  for (const candidate of nameCandidates(name)) if (!taken.has(candidate)) return candidate;
  throw new Error("unreachable");
}
