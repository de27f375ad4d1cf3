import { Writable } from "node:stream";
import winston from "winston";
import type { Logger } from "../../../src/runtime/logger.js";

export interface LogEntry {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** A logger that keeps every record in `entries` (debug and up). */
export function memoryLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: LogEntry, _encoding, done) {
      entries.push(info);
      done();
    },
  });
  const logger = winston.createLogger({
    level: "debug",
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, entries };
}
