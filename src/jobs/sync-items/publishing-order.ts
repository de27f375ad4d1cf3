import path from "node:path";

/** `<profile>_<YYYYMMDD>_<HHMMSS>[<n>]_…`: the moment Alma published the file. */
const PUBLISHED_AT = /_(\d{8})_(\d{6})/;

const byName = new Intl.Collator("en", { numeric: true }).compare;

/**
 * The files in the order Alma published them: by the timestamp in the name (the profile name before it need not
 * sort), then by name, so split parts come in order (`_new_2` before `_new_10`). A file listed before a newer
 * one must not undo it: an older `_delete` after a newer `_new` would withdraw an item that came back. Files
 * without a timestamp come last, by name.
 */
export function inPublishingOrder<T extends { name: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => {
    const [atA, atB] = [publishedAt(a.name), publishedAt(b.name)];
    if (atA !== atB) {
      if (atA === undefined) return 1;
      if (atB === undefined) return -1;
      return atA < atB ? -1 : 1;
    }
    return byName(path.basename(a.name), path.basename(b.name));
  });
}

function publishedAt(name: string): string | undefined {
  const match = PUBLISHED_AT.exec(path.basename(name));
  return match ? `${match[1]}${match[2]}` : undefined;
}
