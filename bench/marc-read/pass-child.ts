/**
 * Run in its own process by the benchmark: one timed pass (`bound` or `reader`) over one file, printed as one
 * JSON line. A fresh process per pass keeps the two from sharing saxes's compiled code: in one process, the
 * pass that runs second finds saxes's event calls already specialised for the other pass's handlers.
 */
import { rawSaxesPass, readerPass } from "./passes.js";

const [pass, file] = process.argv.slice(2);
if ((pass !== "bound" && pass !== "reader") || file === undefined)
  throw new Error("usage: pass-child <bound | reader> <file>");
console.log(JSON.stringify(pass === "bound" ? await rawSaxesPass(file) : await readerPass(file)));
