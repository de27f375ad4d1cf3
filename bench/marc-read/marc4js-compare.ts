/**
 * The evidence behind ADR 0002 (`npx tsx bench/marc-read/marc4js-compare.ts`): marc4js's MARC-XML read speed
 * against ours on the same generated 50 MB file, and whether marc4js's writer gives back the records it read.
 * Not part of `npm run bench`; marc4js is a devDependency for this comparison only.
 */
import { createReadStream, statSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Readable } from "node:stream";
import {
  controlField,
  createRecord,
  dataField,
  parseMarcXml,
  readMarc,
  recordsEqual,
  type Field,
  type MarcRecord,
} from "../../src/marc/index.js";
import { generatedFile } from "./generate.js";

interface M4Subfield {
  code: string;
  data: string;
}
interface M4Record {
  leader: { marshal(): string };
  controlFields: { tag: string; data: string }[];
  dataFields: { tag: string; indicator1: string; indicator2: string; subfields?: M4Subfield[] }[];
}
interface Marc4js {
  parse(options: { format: string; strict?: boolean }): NodeJS.ReadWriteStream;
  parse(data: string, options: object, callback: (error: Error | null, records: M4Record[]) => void): void;
  transform(options: object): NodeJS.ReadWriteStream;
}

const marc4js = createRequire(import.meta.url)("marc4js") as Marc4js;
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/marc");

function fromMarc4js(r: M4Record): MarcRecord {
  const fields: Field[] = [
    ...r.controlFields.map((f) => controlField(f.tag, f.data)),
    // marc4js files a control field whose tag is not 00X (Aleph's FMT) among the data fields, unchanged.
    ...r.dataFields.map((f) =>
      f.subfields === undefined
        ? controlField(f.tag, (f as unknown as { data: string }).data)
        : dataField(
            f.tag,
            f.indicator1,
            f.indicator2,
            f.subfields.map((s) => [s.code, s.data ?? ""] as const),
          ),
    ),
  ];
  return createRecord(r.leader.marshal(), fields);
}

const m4parse = (xml: string) =>
  new Promise<M4Record[]>((resolve, reject) =>
    marc4js.parse(xml, { format: "marcxml" }, (e, records) => (e ? reject(e) : resolve(records))),
  );
/** marc4js's stream API, written to synchronously: its callback API lets a writer exception crash the process. */
function m4write(records: M4Record[], options: object = {}): Promise<string> {
  const transformer = marc4js.transform({ format: "marcxml", ...options });
  const chunks: string[] = [];
  transformer.on("data", (chunk: Buffer | string) => chunks.push(String(chunk)));
  const done = new Promise<string>((resolve, reject) => {
    transformer.on("end", () => resolve(chunks.join("")));
    transformer.on("error", reject);
  });
  try {
    for (const record of records) transformer.write(record as never);
    transformer.end();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return done;
}

interface Timed {
  seconds: number;
  cpuSeconds: number;
  records: number;
}

function timed(started: number, cpu: NodeJS.CpuUsage, records: number): Timed {
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    records,
  };
}

async function marc4jsReadPass(file: string): Promise<Timed> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = marc4js.parse({ format: "marcxml" });
    parser.on("data", () => records++);
    parser.on("end", resolve);
    parser.on("error", reject);
    createReadStream(file).pipe(parser);
  });
  return timed(started, cpu, records);
}

async function ourReadPass(file: string): Promise<Timed> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let records = 0;
  for await (const _ of readMarc(file)) records++;
  return timed(started, cpu, records);
}

async function speed(): Promise<void> {
  const file = await generatedFile(50);
  const mb = statSync(file).size / 1048576;
  let best: { marc4js?: Timed; ours?: Timed } = {};
  for (let round = 0; round < 2; round++) {
    const a = await marc4jsReadPass(file);
    const b = await ourReadPass(file);
    best = {
      marc4js: best.marc4js && best.marc4js.cpuSeconds < a.cpuSeconds ? best.marc4js : a,
      ours: best.ours && best.ours.cpuSeconds < b.cpuSeconds ? best.ours : b,
    };
  }
  const show = (name: string, t: Timed) =>
    console.log(
      `  ${name.padEnd(8)} ${(mb / t.seconds).toFixed(1)} MB/s, ${Math.round(t.records / t.seconds)} records/s ` +
        `(${(mb / t.cpuSeconds).toFixed(1)} MB per CPU-second, ${t.records} records)`,
    );
  console.log(
    `read ${mb.toFixed(0)} MB (of 2 runs each, the one with least CPU time; load ${loadavg()[0]!.toFixed(1)}):`,
  );
  show("marc4js", best.marc4js!);
  show("ours", best.ours!);
  console.log(
    `  ours / marc4js: ${(best.marc4js!.seconds / best.ours!.seconds).toFixed(2)} by wall time, ` +
      `${(best.marc4js!.cpuSeconds / best.ours!.cpuSeconds).toFixed(2)} by CPU time`,
  );
}

function same(a: MarcRecord[], b: MarcRecord[]): boolean {
  return a.length === b.length && a.every((r, i) => recordsEqual(r, b[i]!));
}

function firstDifference(expected: MarcRecord[], got: MarcRecord[]): string {
  for (let i = 0; i < Math.max(expected.length, got.length); i++) {
    const a = expected[i];
    const b = got[i];
    if (a && b && recordsEqual(a, b)) continue;
    return `record ${i}: expected ${JSON.stringify(a?.fields)}, got ${JSON.stringify(b?.fields)}`;
  }
  return "";
}

/**
 * Two checks per input: does marc4js read what we read (its parser), and does marc4js's writer output, read
 * back by us, hold what marc4js read (its writer)?
 */
async function roundTrip(name: string, xml: string): Promise<void> {
  const ours = parseMarcXml(xml, { onInvalidRecord: () => {} });
  const m4records = await m4parse(xml);
  const read = m4records.map(fromMarc4js);
  const readNote = same(ours, read) ? "reads the same" : `READS DIFFERENTLY (${firstDifference(ours, read)})`;
  let output: string;
  try {
    output = await m4write(m4records);
  } catch (error) {
    console.log(`  ${name}: ${readNote}; writer FAILED: ${(error as Error).message.split("\n")[0]}`);
    return;
  }
  let back: MarcRecord[];
  try {
    back = parseMarcXml(output);
  } catch (error) {
    console.log(`  ${name}: ${readNote}; writer wrote malformed XML: ${(error as Error).message}`);
    return;
  }
  const writeNote = same(read, back)
    ? "writer round-trips"
    : `writer CHANGES it (${firstDifference(read, back)})`;
  console.log(`  ${name}: ${readNote}; ${writeNote}`);
}

async function writer(): Promise<void> {
  console.log("marc4js reading (vs ours) and writing (marc4js write → our read, vs what marc4js read):");
  for (const name of ["publishing-unprefixed.xml", "publishing-prefixed.xml", "aspace-export.xml"]) {
    const xml = await new Response(Readable.toWeb(createReadStream(path.join(fixtures, name)))).text();
    await roundTrip(name, xml);
  }
  const L = "00000nam a2200000 a 4500";
  const cases: [string, string][] = [
    [
      "CR in a note",
      `<record><leader>${L}</leader><datafield tag="520" ind1=" " ind2=" "><subfield code="a">a&#13;b</subfield></datafield></record>`,
    ],
    [
      "Aleph FMT control field",
      `<record><leader>${L}</leader><controlfield tag="FMT">BK</controlfield></record>`,
    ],
    [
      "empty subfield",
      `<record><leader>${L}</leader><datafield tag="500" ind1=" " ind2=" "><subfield code="a"></subfield></datafield></record>`,
    ],
    [
      "text and CDATA mixed in one subfield",
      `<record><leader>${L}</leader><datafield tag="245" ind1="1" ind2="0"><subfield code="a">A <![CDATA[& B]]> &amp; C</subfield></datafield></record>`,
    ],
  ];
  for (const [name, xml] of cases)
    await roundTrip(name, `<collection xmlns="http://www.loc.gov/MARC21/slim">${xml}</collection>`);

  const one = await m4parse(`<collection><record><leader>${L}</leader></record></collection>`);
  const compact = await m4write(one, { pretty: false, declaration: false, root: false });
  console.log(
    `  options pretty:false, declaration:false, root:false give:\n${compact.replace(/^/gm, "    | ")}`,
  );

  const m4 = await m4parse(
    `<collection><record><leader>${L}</leader><datafield tag="245" ind1=" " ind2=" "><subfield code="a">x</subfield></datafield></record></collection>`,
  );
  m4[0]!.dataFields[0]!.subfields![0]!.data = "bell\u0007";
  await m4write(m4).then(
    (out) =>
      console.log(
        `  a BEL character in a value is written as: ${JSON.stringify(/<subfield[^>]*>([^<]*)</.exec(out)?.[1])}`,
      ),
    (e: Error) => console.log(`  a BEL character in a value: marc4js throws "${e.message.split("\n")[0]}"`),
  );

  const truncated = `<collection><record><leader>${L}</leader></record><record><leader>${L}</leader><datafield tag="245"`;
  for (const strict of [false, true]) {
    await new Promise<void>((resolve) => {
      let records = 0;
      const parser = marc4js.parse({ format: "marcxml", strict });
      parser.on("data", () => records++);
      parser.on("end", () => {
        console.log(`  truncated XML, strict ${strict}: no error, ${records} record(s)`);
        resolve();
      });
      parser.on("error", (e: Error) => {
        console.log(
          `  truncated XML, strict ${strict}: error "${e.message.split("\n")[0]}" after ${records} record(s)`,
        );
        resolve();
      });
      parser.end(truncated);
    });
  }

  const noLeader = await m4parse(
    `<collection><record><controlfield tag="001">1</controlfield></record></collection>`,
  );
  await m4write(noLeader).then(
    () => console.log(`  a record without leader: read (${noLeader.length}) and written without complaint`),
    (e: Error) =>
      console.log(`  a record without leader: read without complaint, writer throws "${e.message}"`),
  );
}

await speed();
await writer();
