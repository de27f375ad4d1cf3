/**
 * Run in its own process by the benchmark: reads one file with the MARC reader and prints, as one JSON line,
 * the records read and the process's peak resident set size (VmHWM, and maxRSS as a cross-check).
 * With `-` instead of a file it reads nothing: the baseline of node, tsx and the loaded modules.
 */
import { readFileSync } from "node:fs";
import { readMarc } from "../../src/marc/index.js";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: rss-child <file | ->");

let records = 0;
let items = 0;
for await (const record of file === "-" ? [] : readMarc(file)) {
  records++;
  for (const field of record.fields) if (field.tag === "ITM") items++;
}
const status = readFileSync("/proc/self/status", "utf8");
const hwmKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
console.log(
  JSON.stringify({
    records,
    items,
    vmHwmMb: hwmKb / 1024,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
