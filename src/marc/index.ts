export * from "./errors.js";
export * from "./reader.js";
export * from "./record.js";
export * from "./writer.js";
export { escapeAttribute, escapeText } from "./xml-escape.js";
export { MarcXmlParser, type MarcParserSink } from "./reader-parser.js";
export { tarEntries, type TarEntryStream } from "./reader-tar.js";
