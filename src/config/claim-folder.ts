/**
 * The path segments of a claim folder that lies inside each job's remote folder (`OLD`, `work/OLD`), or undefined
 * for one that other folders could share: absolute, with `..`, or the folder itself (`.`, empty). Every
 * `*.claim-*` file in a claim folder is taken for one of its own folder's, so it must belong to that folder alone.
 */
export function claimFolderSegments(folder: string): string[] | undefined {
  const segments = folder.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (folder.startsWith("/") || segments.length === 0 || segments.includes("..")) return undefined;
  return segments;
}
