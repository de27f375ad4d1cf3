import { createReadStream } from "node:fs";
import { SaxesParser, type SaxesTagNS } from "saxes";
import { RequestExportError } from "./errors.js";
import {
  RS_EXPORT_NAMESPACE,
  type ExportEntry,
  type ExportPosition,
  type SourceRequest,
} from "./source-request.js";

const XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

/** One element inside an `rsExport`: an `rsExport` is small, so it is held whole while it is read. */
interface Element {
  uri: string;
  local: string;
  nil: boolean;
  text: string;
  children: Element[];
}

/**
 * Reads a remote-storage request export as a stream: feed it text, take the entries that are complete.
 * Namespace-aware (any prefix, or a default namespace), indentation-blind, `xsi:nil="true"` read as absent.
 * Throws `RequestExportError` with the line and column when the text is not a well-formed export.
 */
export class RequestExportParser {
  readonly #file: string;
  readonly #parser = new SaxesParser({ xmlns: true });
  #ready: ExportEntry[] = [];
  #depth = 0;
  #count = 0;
  #stack: Element[] = [];
  #position: ExportPosition | undefined;
  /** Where the element being opened starts (its `<`), 1-based. */
  #tagStart = { line: 1, column: 1 };

  constructor(file: string) {
    this.#file = file;
    this.#parser.on("error", (error) => {
      // saxes stands just after the character that broke the document: its 0-based column is that character's 1-based one.
      const reason = error.message.replace(/^\d+:\d+: /, "");
      throw new RequestExportError(
        this.#file,
        `not well-formed XML: ${reason}`,
        this.#parser.line,
        Math.max(this.#parser.column, 1),
      );
    });
    this.#parser.on("opentagstart", (tag) => {
      // saxes has read `<`, the name and one more character.
      this.#tagStart = {
        line: this.#parser.line,
        column: Math.max(this.#parser.column - tag.name.length - 1, 1),
      };
    });
    this.#parser.on("opentag", (tag) => this.#open(tag));
    this.#parser.on("closetag", () => this.#close());
    this.#parser.on("text", (text) => this.#text(text));
    this.#parser.on("cdata", (text) => this.#text(text));
  }

  /** Feeds a chunk; returns the entries it completed. */
  write(chunk: string): ExportEntry[] {
    this.#parser.write(chunk);
    return this.#take();
  }

  /** Ends the input: checks the document is complete; returns the last entries. */
  close(): ExportEntry[] {
    this.#parser.close();
    return this.#take();
  }

  #take(): ExportEntry[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  #open(tag: SaxesTagNS): void {
    const depth = this.#depth++;
    if (depth === 0) {
      if (tag.uri !== RS_EXPORT_NAMESPACE || tag.local !== "rsExportList") {
        throw new RequestExportError(
          this.#file,
          `not a remote-storage request export: the root element is <${tag.name}>, not rsExportList in ${RS_EXPORT_NAMESPACE}`,
          this.#tagStart.line,
          this.#tagStart.column,
        );
      }
      return;
    }
    if (depth === 1) {
      if (tag.uri !== RS_EXPORT_NAMESPACE || tag.local !== "rsExport") return;
      this.#count += 1;
      this.#position = { index: this.#count, ...this.#tagStart };
    }
    if (!this.#position) return;
    const nil = Object.values(tag.attributes).some(
      (attribute) =>
        attribute.uri === XSI_NAMESPACE &&
        attribute.local === "nil" &&
        ["true", "1"].includes(attribute.value.trim()),
    );
    const element: Element = { uri: tag.uri, local: tag.local, nil, text: "", children: [] };
    this.#stack.at(-1)?.children.push(element);
    this.#stack.push(element);
  }

  #close(): void {
    this.#depth -= 1;
    if (!this.#position) return;
    const element = this.#stack.pop();
    if (this.#stack.length === 0 && element) {
      this.#ready.push(toEntry(element, this.#position));
      this.#position = undefined;
    }
  }

  #text(text: string): void {
    const top = this.#stack.at(-1);
    if (top) top.text += text;
  }
}

/** Reads an export file entry by entry, never holding more than one `rsExport` and one chunk. */
export async function* readRequestExport(file: string): AsyncGenerator<ExportEntry> {
  const parser = new RequestExportParser(file);
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream) {
      yield* parser.write(chunk as string);
    }
  } finally {
    stream.destroy();
  }
  yield* parser.close();
}

/**
 * Reads the whole file once without acting on it: a file that is not well-formed is reported before any of its
 * requests reach Alma, so fixing and reprocessing it never half-repeats a run. Returns the number of `rsExport`s.
 */
export async function checkRequestExport(file: string): Promise<number> {
  let count = 0;
  for await (const _entry of readRequestExport(file)) count += 1;
  return count;
}

/** Parses an export held in memory (tests, small inputs). */
export function parseRequestExport(xml: string, file = "<string>"): ExportEntry[] {
  const parser = new RequestExportParser(file);
  return [...parser.write(xml), ...parser.close()];
}

function toEntry(element: Element, position: ExportPosition): ExportEntry {
  const value = (...path: string[]): string | undefined => {
    let current: Element | undefined = element;
    for (const local of path) {
      current = current.children.find((child) => child.uri === RS_EXPORT_NAMESPACE && child.local === local);
      if (!current) return undefined;
    }
    if (current.nil) return undefined;
    const text = current.text.trim();
    return text === "" ? undefined : text;
  };
  const requestId = value("requestId");
  const requestType = value("requestType");
  const problems: string[] = [];
  if (requestId === undefined) problems.push("requestId is missing");
  if (requestType === undefined) problems.push("requestType is missing");
  if (requestId === undefined || requestType === undefined) {
    const barcode = value("barcode");
    return {
      kind: "invalid",
      invalid: { position, ...(requestId ? { requestId } : {}), ...(barcode ? { barcode } : {}), problems },
    };
  }
  const request: SourceRequest = {
    requestId,
    requestType,
    patron: dropAbsent({
      name: value("patronInfo", "patronName"),
      identifier: value("patronInfo", "patronIdentifier"),
      email: value("patronInfo", "patronEmail"),
      address: value("patronInfo", "patronAddress"),
    }),
    position,
    ...dropAbsent({
      barcode: value("barcode"),
      mmsId: value("mmsId"),
      itemId: value("itemId"),
      description: value("description"),
      institutionCode: value("institutionCode"),
      pickupLibraryName: value("pickup", "library"),
      libraryCode: value("libraryCode"),
      requestNote: value("requestNote"),
    }),
  };
  return { kind: "request", request };
}

function dropAbsent<T extends Record<string, string | undefined>>(record: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}
