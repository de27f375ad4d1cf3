import { StringDecoder } from "node:string_decoder";
import { MarcParseError } from "./errors.js";

/** Bytes held back to read the XML declaration from, however small the first chunks are. */
const HEAD_BYTES = 512;

/** The decodings the reader offers, by the names an XML declaration may give them (case does not matter). */
const DECODINGS: Readonly<Record<string, "utf8" | "latin1">> = {
  "utf-8": "utf8",
  utf8: "utf8",
  "us-ascii": "utf8",
  ascii: "utf8",
  "iso-8859-1": "latin1",
  "iso_8859-1": "latin1",
  latin1: "latin1",
  "latin-1": "latin1",
};

const DECLARED = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/;

/**
 * How to decode a document, from the XML declaration at the start of its first bytes: UTF-8 when none is
 * declared (XML's default), ISO-8859-1 when declared so. Any other declared encoding is refused with a
 * MarcParseError rather than read as UTF-8, which would turn every accented letter into U+FFFD silently.
 */
export function decodingOf(firstBytes: Buffer, source: { file: string; entry?: string }): "utf8" | "latin1" {
  // Latin-1 maps each byte to one character: enough to read the ASCII of a declaration in any ASCII-based encoding.
  const head = firstBytes.subarray(0, HEAD_BYTES).toString("latin1");
  const declared = DECLARED.exec(head)?.[1];
  if (declared === undefined) return "utf8";
  const decoding = DECODINGS[declared.toLowerCase()];
  if (decoding) return decoding;
  throw new MarcParseError(`encoding "${declared}" is not supported: only UTF-8 and ISO-8859-1 are read`, {
    ...source,
    line: 1,
    column: head.indexOf(declared),
  });
}

/**
 * Bytes to text for the XML parser, in the encoding the document declares (see decodingOf): the first
 * HEAD_BYTES are held back until the declaration can be read, then decoding streams on.
 */
export class XmlDecoder {
  #decoder: StringDecoder | undefined;
  #head: Buffer[] = [];
  #headLength = 0;

  constructor(private readonly source: { file: string; entry?: string }) {}

  /** The text of these bytes; "" while the first bytes are held back. */
  write(bytes: Buffer): string {
    if (this.#decoder) return this.#decoder.write(bytes);
    this.#head.push(bytes);
    this.#headLength += bytes.length;
    return this.#headLength < HEAD_BYTES ? "" : this.#start();
  }

  /** The text left at the end of the document. */
  end(): string {
    const rest = this.#decoder ? "" : this.#start();
    return rest + this.#decoder!.end();
  }

  #start(): string {
    const head = Buffer.concat(this.#head);
    this.#head = [];
    this.#decoder = new StringDecoder(decodingOf(head, this.source));
    return this.#decoder.write(head);
  }
}
