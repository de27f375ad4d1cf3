import { SaxesParser, type SaxesTagPlain } from "saxes";
import { MarcParseError, MarcRecordError } from "./errors.js";
import type { ControlField, DataField, MarcRecord, RecordOrigin } from "./record.js";

/** A record as the reader delivers it: its origin (file, tar entry, line of `<record>`) is always set. */
export interface ReadRecord extends MarcRecord {
  origin: RecordOrigin;
}

/** What the push parser hands on, in document order. */
export interface MarcParserSink {
  record(record: ReadRecord): void;
  invalid(error: MarcRecordError): void;
}

const enum Collect {
  None,
  Leader,
  Control,
  Subfield,
}

/** The MARC-XML elements, by local name; `RecordEnd` marks the end tag of the record being read. */
const enum Kind {
  Other,
  Record,
  Leader,
  Controlfield,
  Datafield,
  Subfield,
  RecordEnd,
}

const TAG = /^[0-9A-Za-z]{3}$/;

/**
 * A push parser for MARC-XML on saxes: feed it text with `write`, finish with `close`. Elements are matched by
 * local name, so the default namespace and any prefix (`marc:record`) read the same; namespaces are not checked.
 * A `<record>` may be the root, inside `<collection>`, or inside any wrapper (`<bib><record>`).
 * Throws {@link MarcParseError} when the XML is not well-formed; a record that is not MARC goes to
 * `sink.invalid` and parsing continues.
 */
export class MarcXmlParser {
  private readonly sax = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private record: ReadRecord | null = null;
  /** A finished record (or its report) not yet handed on; see {@link release}. */
  private held: ReadRecord | MarcRecordError | null = null;
  private field: DataField | null = null;
  private collect = Collect.None;
  private text = "";
  private controlTag = "";
  private subfieldCode = "";
  private problem: string | null = null;
  /** Kinds of the elements open inside the current record. */
  private readonly open: Kind[] = [];
  private recordLine = 0;
  private recordColumn = 0;

  constructor(
    private readonly source: { file: string; entry?: string },
    private readonly sink: MarcParserSink,
  ) {
    const sax = this.sax;
    sax.on("opentag", (tag) => this.openTag(tag));
    sax.on("closetag", () => this.closeTag());
    sax.on("text", (text) => {
      if (this.collect !== Collect.None) this.text += text;
    });
    sax.on("cdata", (text) => {
      if (this.collect !== Collect.None) this.text += text;
    });
    sax.on("error", (error) => {
      throw this.parseError(error);
    });
  }

  write(text: string): void {
    this.sax.write(text);
    this.release();
  }

  /** Ends the document; throws {@link MarcParseError} when it is truncated (an element left open, no root). */
  close(): void {
    this.sax.close();
    this.release();
  }

  /**
   * Hands on the record (or report) held since its end tag. saxes closes open elements before it reports a
   * mismatched end tag, so a record is only known whole once the parser has gone past its end without error.
   */
  private release(): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    if (held instanceof MarcRecordError) this.sink.invalid(held);
    else this.sink.record(held);
  }

  private parseError(error: Error): MarcParseError {
    // saxes prefixes "line:column: "; the position is kept in properties instead.
    const reason = error.message.replace(/^\d+:\d+: /, "");
    return new MarcParseError(
      reason,
      { ...this.source, line: this.sax.line, column: this.sax.column },
      { cause: error },
    );
  }

  private openTag(tag: SaxesTagPlain): void {
    if (this.held !== null) this.release();
    const kind = kindOf(tag.name);
    const attributes = tag.attributes;
    if (this.record === null) {
      if (kind === Kind.Record) this.startRecord();
      return;
    }
    this.open.push(kind);
    switch (kind) {
      case Kind.Subfield: {
        const code = attributes.code;
        if (code === undefined || code.length !== 1)
          this.fail(`subfield code ${show(code)} is not one character`);
        else if (this.field === null) this.fail("subfield outside a datafield");
        this.subfieldCode = code ?? "";
        this.startText(Collect.Subfield);
        return;
      }
      case Kind.Datafield: {
        const fieldTag = attributes.tag ?? "";
        if (!TAG.test(fieldTag))
          this.fail(`datafield tag ${show(attributes.tag)} is not three letters or digits`);
        this.field = {
          tag: fieldTag,
          ind1: this.indicator(attributes.ind1, "ind1"),
          ind2: this.indicator(attributes.ind2, "ind2"),
          subfields: [],
        };
        return;
      }
      case Kind.Controlfield: {
        const fieldTag = attributes.tag ?? "";
        if (!TAG.test(fieldTag))
          this.fail(`controlfield tag ${show(attributes.tag)} is not three letters or digits`);
        this.controlTag = fieldTag;
        this.startText(Collect.Control);
        return;
      }
      case Kind.Leader:
        this.startText(Collect.Leader);
        return;
      case Kind.Record:
        this.fail("record inside a record");
        return;
      default:
      // Unknown elements are ignored; text inside them still counts towards an enclosing subfield.
    }
  }

  private closeTag(): void {
    if (this.held !== null) this.release();
    const record = this.record;
    if (record === null) return;
    // saxes only reports well-formed XML, so end tags pair with the kinds pushed by openTag.
    const kind = this.open.pop() ?? Kind.RecordEnd;
    switch (kind) {
      case Kind.Subfield:
        if (this.collect !== Collect.Subfield) return;
        this.field?.subfields.push({ code: this.subfieldCode, value: this.takeText() });
        return;
      case Kind.Datafield:
        if (this.field !== null) record.fields.push(this.field);
        this.field = null;
        return;
      case Kind.Controlfield: {
        if (this.collect !== Collect.Control) return;
        const field: ControlField = { tag: this.controlTag, value: this.takeText() };
        record.fields.push(field);
        return;
      }
      case Kind.Leader:
        if (this.collect !== Collect.Leader) return;
        record.leader = this.takeText();
        return;
      case Kind.RecordEnd:
        this.endRecord(record);
        return;
      default:
    }
  }

  private startRecord(): void {
    this.recordLine = this.sax.line;
    this.recordColumn = this.sax.column;
    this.record = {
      leader: "",
      fields: [],
      origin: { file: this.source.file, entry: this.source.entry, line: this.recordLine },
    };
    this.open.length = 0;
    this.field = null;
    this.problem = null;
    this.collect = Collect.None;
  }

  private endRecord(record: ReadRecord): void {
    this.record = null;
    this.field = null;
    this.collect = Collect.None;
    if (this.problem === null && record.leader === "") this.problem = "record has no leader";
    if (this.problem === null) {
      this.held = record;
      return;
    }
    const control = record.fields.find((f) => f.tag === "001" && !("subfields" in f)) as
      ControlField | undefined;
    this.held = new MarcRecordError(
      this.problem,
      { ...this.source, line: this.recordLine, column: this.recordColumn },
      control?.value,
    );
  }

  /**
   * `xsi:nil` is not looked up: XML Schema allows no content in a nil element, so it reads as empty anyway, and
   * the look-up on every leader, control field and subfield cost 8 % of the reading time. A nil element that
   * has text all the same keeps it: nothing received is dropped.
   */
  private startText(kind: Collect): void {
    this.collect = kind;
    this.text = "";
  }

  private takeText(): string {
    const text = this.text;
    this.collect = Collect.None;
    this.text = "";
    return text;
  }

  private indicator(value: string | undefined, name: string): string {
    if (value === undefined || value === "") return " ";
    if (value.length !== 1) this.fail(`${name} ${show(value)} is not one character`);
    return value;
  }

  /** Marks the current record as not MARC; the first problem is the one reported. */
  private fail(problem: string): void {
    this.problem ??= problem;
  }
}

/** The kind of an element by its local name; unprefixed names (the usual case) are matched without slicing. */
function kindOf(name: string): Kind {
  const kind = kindOfLocal(name);
  if (kind !== Kind.Other) return kind;
  const colon = name.indexOf(":");
  return colon < 0 ? Kind.Other : kindOfLocal(name.slice(colon + 1));
}

function kindOfLocal(name: string): Kind {
  switch (name) {
    case "subfield":
      return Kind.Subfield;
    case "datafield":
      return Kind.Datafield;
    case "controlfield":
      return Kind.Controlfield;
    case "leader":
      return Kind.Leader;
    case "record":
      return Kind.Record;
    default:
      return Kind.Other;
  }
}

function show(value: string | undefined): string {
  return value === undefined ? "(missing)" : JSON.stringify(value);
}
