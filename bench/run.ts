/**
 * `npm run bench [name…]`: runs every benchmark folder under bench/ (or the named ones). Each folder has an
 * index.ts whose default export is an async function printing its figures and ratios against its bounds.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const entries = await readdir(here, { withFileTypes: true });
const names = entries
  .filter((e) => e.isDirectory() && (wanted.length === 0 || wanted.includes(e.name)))
  .map((e) => e.name);
for (const name of names.sort()) {
  const module = (await import(pathToFileURL(path.join(here, name, "index.ts")).href)) as {
    default: () => Promise<void>;
  };
  console.log(`\n== ${name}`);
  await module.default();
}
