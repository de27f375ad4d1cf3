import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  readMarc,
  type MarcRecord,
  type MarcRecordError,
  type MarcSource,
  type ReadMarcOptions,
  type ReadRecord,
} from "../../src/marc/index.js";

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/marc");

export function fixture(name: string): string {
  return path.join(fixtures, name);
}

export interface Collected {
  records: ReadRecord[];
  invalid: MarcRecordError[];
  error?: unknown;
}

/** Reads a whole source, keeping the records, the invalid-record reports and the error that ended it, if any. */
export async function collect(source: MarcSource, options: ReadMarcOptions = {}): Promise<Collected> {
  const collected: Collected = { records: [], invalid: [] };
  try {
    for await (const record of readMarc(source, {
      ...options,
      onInvalidRecord: (e) => collected.invalid.push(e),
    })) {
      collected.records.push(record);
    }
  } catch (error) {
    collected.error = error;
  }
  return collected;
}

/** A fresh temp folder for one test. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "alma-rs-marc-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `tag ind1ind2 $a… $b…` lines, to compare records at a glance in assertions. */
export function describeFields(record: MarcRecord): string[] {
  return record.fields.map((f) =>
    "subfields" in f
      ? `${f.tag} ${f.ind1}${f.ind2} ${f.subfields.map((s) => `$${s.code}${s.value}`).join(" ")}`
      : `${f.tag} ${f.value}`,
  );
}
