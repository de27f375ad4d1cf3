/**
 * Generates publishing-like MARC-XML (Alma items publishing: 001 MMS id, 035 with an EXLNZ id, several ITM
 * fields, non-ASCII text and entities) into the OS temp folder, once per size; later runs reuse the file.
 */
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  MarcXmlWriter,
  controlField,
  createRecord,
  dataField,
  type MarcRecord,
} from "../../src/marc/index.js";

const VERSION = "v1";

/** A small deterministic PRNG (mulberry32), so every run generates the same file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TITLES = [
  "Über die Grundlagen der Mathematik",
  "Łódź : historia miasta",
  "Ἀριστοτέλους Πολιτικά",
  "日本の近代文学",
  "Crime & punishment <annotated>",
  "Les misérables, tome 1",
  "Дети Арбата",
  'Café society : "the" 1930s',
  "El ingenioso hidalgo don Quijote de la Mancha",
  "תולדות עם ישראל",
];
const SUBJECTS = [
  "Textile workers",
  "Labor unions",
  "Geschichte",
  "Économie politique",
  "Φιλοσοφία",
  "書誌学",
];
const LIBRARIES = ["MAIN", "LAW", "MUSIC", "ANNEX"];
const LOCATIONS = ["stacks", "rs_shared", "rs_annex", "folio", "ref"];

export function publishingRecord(n: number, rnd: () => number): MarcRecord {
  const mms = `99${String(1000000 + n).padStart(11, "0")}06966`;
  const nz = `99${String(5000000 + n).padStart(11, "0")}01631`;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const record = createRecord("01234cam a2200397 i 4500", [
    controlField("001", mms),
    controlField("005", "20240115093012.0"),
    controlField("008", "230101s2022    gw a     b    001 0 ger d"),
    dataField("020", " ", " ", [["a", `978${String(Math.floor(rnd() * 1e10)).padStart(10, "0")}`]]),
    dataField("035", " ", " ", [["a", `(EXLNZ-01AAA_NETWORK)${nz}`]]),
    dataField("035", " ", " ", [["a", `(OCoLC)${Math.floor(rnd() * 1e9)}`]]),
    dataField("040", " ", " ", [
      ["a", "DLC"],
      ["b", "eng"],
      ["e", "rda"],
      ["c", "DLC"],
    ]),
    dataField("100", "1", " ", [
      ["a", "Müller-Lüdenscheidt, Jürgen,"],
      ["e", "author."],
    ]),
    dataField("245", "1", "0", [
      ["a", `${pick(TITLES)} /`],
      ["c", "edited by Zoë Ångström & Björn Þórðarson."],
    ]),
    dataField("264", " ", "1", [
      ["a", "München :"],
      ["b", "Verlag C.H. Beck,"],
      ["c", "2022."],
    ]),
    dataField("300", " ", " ", [
      ["a", `${100 + Math.floor(rnd() * 800)} pages :`],
      ["b", "illustrations ;"],
      ["c", "24 cm"],
    ]),
    dataField("500", " ", " ", [["a", "Includes bibliographical references (pages 401-420) and index."]]),
    dataField("650", " ", "0", [
      ["a", pick(SUBJECTS)],
      ["x", "History"],
      ["y", "20th century."],
    ]),
    dataField("650", " ", "7", [
      ["a", pick(SUBJECTS)],
      ["2", "gnd"],
    ]),
  ]);
  const items = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < items; i++) {
    record.fields.push(
      dataField("ITM", " ", " ", [
        ["b", `3123601${String(n * 5 + i).padStart(7, "0")}`],
        ["c", pick(LIBRARIES)],
        ["l", pick(LOCATIONS)],
        ["n", i % 2 === 0 ? "Shelved in the annex" : "Boîte n° 7 – fragile"],
      ]),
    );
  }
  return record;
}

/** The path of a generated file of at least `megabytes` MB, generating it when it is not there yet. */
export async function generatedFile(megabytes: number): Promise<string> {
  const dir = path.join(os.tmpdir(), "alma-rs-bench");
  const file = path.join(dir, `publishing-${VERSION}-${megabytes}MB.xml`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const partial = `${file}.partial`;
  const output = createWriteStream(partial);
  const writer = new MarcXmlWriter(output);
  const rnd = random(megabytes);
  const target = megabytes * 1024 * 1024;
  const started = performance.now();
  for (let n = 0; ; n++) {
    await writer.write(publishingRecord(n, rnd));
    // bytesWritten lags the writer's own buffer by at most 64 KB; check now and then.
    if (n % 1000 === 0 && output.bytesWritten + output.writableLength >= target) break;
  }
  await writer.end();
  await rename(partial, file);
  const seconds = (performance.now() - started) / 1000;
  const size = statSync(file).size / 1048576;
  console.log(`generated ${file} (${size.toFixed(0)} MB, writer ${(size / seconds).toFixed(1)} MB/s)`);
  return file;
}
