/** The two timed passes over one file: the raw saxes bound and the MARC reader. */
import { createReadStream, statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { SaxesParser } from "saxes";
import { readMarc } from "../../src/marc/index.js";

export interface PassResult {
  seconds: number;
  /** CPU time (user + system) of the process during the pass: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  megabytes: number;
  mbPerSecond: number;
  /** XML events for the raw pass, records for the reader. */
  count: number;
  items?: number;
}

const CHUNK = 64 * 1024;

interface Start {
  wall: number;
  cpu: NodeJS.CpuUsage;
}

function start(): Start {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function result(file: string, started: Start, count: number, items?: number): PassResult {
  const seconds = (performance.now() - started.wall) / 1000;
  const cpu = process.cpuUsage(started.cpu);
  const megabytes = statSync(file).size / 1048576;
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    megabytes,
    mbPerSecond: megabytes / seconds,
    count,
    items,
  };
}

/**
 * The bound: the same file, chunk size, UTF-8 decoding and saxes options as the reader, with handlers that
 * only count the events the reader listens to.
 */
export async function rawSaxesPass(file: string): Promise<PassResult> {
  const started = start();
  let events = 0;
  const count = () => {
    events++;
  };
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  parser.on("opentag", count);
  parser.on("closetag", count);
  parser.on("text", count);
  parser.on("cdata", count);
  const decoder = new StringDecoder("utf8");
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    parser.write(decoder.write(chunk as Buffer));
  }
  parser.write(decoder.end());
  parser.close();
  return result(file, started, events);
}

/** The reader, counting records and their ITM fields the way a publishing job would touch them. */
export async function readerPass(file: string): Promise<PassResult> {
  const started = start();
  let records = 0;
  let items = 0;
  for await (const record of readMarc(file, { chunkSize: CHUNK })) {
    records++;
    for (const field of record.fields) if (field.tag === "ITM") items++;
  }
  return result(file, started, records, items);
}
