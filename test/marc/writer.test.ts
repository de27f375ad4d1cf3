import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import {
  COLLECTION_START,
  MarcXmlWriter,
  cloneRecord,
  controlField,
  createRecord,
  dataField,
  parseMarcXml,
  recordToXml,
  recordsEqual,
  writeMarcFile,
  type MarcRecord,
} from "../../src/marc/index.js";
import { collect, fixture, tempDir } from "./helpers.js";

async function writeToString(
  records: MarcRecord[],
  options: ConstructorParameters<typeof MarcXmlWriter>[1] = {},
) {
  const output = new PassThrough();
  const parts: Buffer[] = [];
  output.on("data", (chunk: Buffer) => parts.push(chunk));
  const writer = new MarcXmlWriter(output, options);
  for (const record of records) await writer.write(record);
  await writer.end();
  return Buffer.concat(parts).toString("utf8");
}

const LEADER = "00000nam a2200000 a 4500";

describe("MARC-XML writer", () => {
  for (const name of ["publishing-unprefixed.xml", "publishing-prefixed.xml", "aspace-export.xml"]) {
    for (const pretty of [false, true]) {
      it(`gives back identical records after read, write, read of ${name}${pretty ? ", pretty printed" : ""}`, async () => {
        const { dir, cleanup } = await tempDir();
        try {
          const original = await collect(fixture(name));
          expect(original.records.length).to.be.greaterThan(0);
          const out = path.join(dir, "out.xml");
          expect(await writeMarcFile(out, original.records, { pretty })).to.equal(original.records.length);
          const again = await collect(out);
          expect(again.error).to.equal(undefined);
          expect(again.records).to.have.length(original.records.length);
          again.records.forEach((r, i) =>
            expect(recordsEqual(r, original.records[i]!), `record ${i}`).to.equal(true),
          );
        } finally {
          await cleanup();
        }
      });
    }
  }

  it("wraps records in a collection with exactly the namespace declarations Alma's import expects", async () => {
    const xml = await writeToString([createRecord(LEADER, [controlField("001", "1")])]);
    expect(xml).to.equal(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<collection xmlns="http://www.loc.gov/MARC21/slim" xmlns:marc="http://www.loc.gov/MARC21/slim" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
        'xsi:schemaLocation="http://www.loc.gov/MARC21/slim http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd">\n' +
        `<record><leader>${LEADER}</leader><controlfield tag="001">1</controlfield></record>\n` +
        "</collection>\n",
    );
    expect(xml).to.contain(COLLECTION_START);
  });

  it("writes an empty collection when there are no records", async () => {
    const xml = await writeToString([]);
    expect(parseMarcXml(xml)).to.deep.equal([]);
    expect(xml.endsWith(`${COLLECTION_START}\n</collection>\n`)).to.equal(true);
  });

  it("writes records alone, without declaration or wrapper, optionally with the namespace on each", async () => {
    const record = createRecord(LEADER, [controlField("001", "1")]);
    const bare = `<record><leader>${LEADER}</leader><controlfield tag="001">1</controlfield></record>\n`;
    expect(await writeToString([record, record], { collection: false })).to.equal(bare + bare);
    expect(await writeToString([record], { collection: false, xmlns: true })).to.equal(
      bare.replace("<record>", '<record xmlns="http://www.loc.gov/MARC21/slim">'),
    );
  });

  it("pretty prints one element a line, indented by two spaces", () => {
    const record = createRecord(LEADER, [
      controlField("001", "1"),
      dataField("245", "1", "0", [
        ["a", "Title"],
        ["c", "Author"],
      ]),
    ]);
    expect(recordToXml(record, { pretty: true })).to.equal(
      [
        "<record>",
        `  <leader>${LEADER}</leader>`,
        '  <controlfield tag="001">1</controlfield>',
        '  <datafield tag="245" ind1="1" ind2="0">',
        '    <subfield code="a">Title</subfield>',
        '    <subfield code="c">Author</subfield>',
        "  </datafield>",
        "</record>",
      ].join("\n"),
    );
  });

  it("builds the <record> of an Alma <bib> body, with blank indicators for empty ones", () => {
    const record = createRecord(LEADER, [dataField("035", "", "", [["a", "(INST)99123"]])]);
    const body = `<bib>${recordToXml(record)}</bib>`;
    expect(body).to.equal(
      `<bib><record><leader>${LEADER}</leader>` +
        '<datafield tag="035" ind1=" " ind2=" "><subfield code="a">(INST)99123</subfield></datafield></record></bib>',
    );
    expect(recordToXml(record, { xmlns: true })).to.match(
      /^<record xmlns="http:\/\/www\.loc\.gov\/MARC21\/slim">/,
    );
  });

  it("escapes markup characters in text and quotes in attributes", () => {
    const record = createRecord(LEADER, [dataField("245", "1", "0", [["a", `Tom & Jerry <"uncut"> it's`]])]);
    record.fields.push(dataField("9\"'", "<", "&", [[">", "x"]]));
    const xml = recordToXml(record);
    expect(xml).to.contain('<subfield code="a">Tom &amp; Jerry &lt;"uncut"&gt; it\'s</subfield>');
    expect(xml).to.contain(
      '<datafield tag="9&quot;&apos;" ind1="&lt;" ind2="&amp;"><subfield code="&gt;">x</subfield>',
    );
    // Read back, the record is refused for its tag, which proves the XML is well-formed and the tag intact.
    const reasons: string[] = [];
    const back = parseMarcXml(xml, { onInvalidRecord: (e) => reasons.push(e.reason) });
    expect(back).to.deep.equal([]);
    expect(reasons).to.deep.equal([`datafield tag "9\\"'" is not three letters or digits`]);
  });

  it("keeps tabs, line feeds and carriage returns in values across a round trip", () => {
    const value = "line one\r\nline two\n\tindented\rend";
    const record = createRecord(LEADER, [dataField("520", " ", " ", [["a", value]])]);
    const xml = recordToXml(record);
    expect(xml).to.contain("line one&#13;\nline two\n\tindented&#13;end");
    const [back] = parseMarcXml(xml);
    expect(recordsEqual(back!, record)).to.equal(true);
  });

  it("drops control characters XML cannot carry and replaces a broken surrogate with U+FFFD", () => {
    const record = createRecord(LEADER, [
      dataField("245", " ", " ", [["a", "a\u0000b\u001Fc\u000Bd\uFFFEe\uD800f😀g"]]),
      controlField("001", "\u0007x"),
    ]);
    const xml = recordToXml(record);
    const [back] = parseMarcXml(xml);
    expect(back!.fields.map((f) => ("value" in f ? f.value : f.subfields[0]!.value))).to.deep.equal([
      "abcde\uFFFDf😀g",
      "x",
    ]);
  });

  it("gives the same bytes for the same record, however often and from whichever copy it is written", async () => {
    const { records } = await collect(fixture("publishing-unprefixed.xml"));
    const first = await writeToString(records, { pretty: true });
    const second = await writeToString(records.map(cloneRecord), { pretty: true });
    expect(second).to.equal(first);
    expect(records.map((r) => recordToXml(r))).to.deep.equal(records.map((r) => recordToXml(cloneRecord(r))));
    const { dir, cleanup } = await tempDir();
    try {
      await writeMarcFile(path.join(dir, "a.xml"), records);
      await writeMarcFile(path.join(dir, "b.xml"), records.map(cloneRecord));
      expect(await readFile(path.join(dir, "a.xml"))).to.deep.equal(await readFile(path.join(dir, "b.xml")));
    } finally {
      await cleanup();
    }
  });

  it("waits for a slow output instead of buffering every record", async () => {
    let buffered = 0;
    let received = "";
    const output = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.toString("utf8");
        setTimeout(done, 1);
      },
    });
    const writer = new MarcXmlWriter(output);
    const record = createRecord(LEADER, [dataField("500", " ", " ", [["a", "x".repeat(1000)]])]);
    for (let i = 0; i < 1000; i++) {
      await writer.write(record);
      buffered = Math.max(buffered, output.writableLength);
      if (i % 100 === 0) await tick();
    }
    await writer.end();
    // One flush (64 KB) plus one record may wait in the stream, never the megabyte of all records.
    expect(buffered).to.be.lessThan(80 * 1024);
    expect(parseMarcXml(received)).to.have.length(1000);
  });

  it("refuses records after end", async () => {
    const writer = new MarcXmlWriter(new PassThrough().resume());
    await writer.end();
    let failure: unknown;
    await writer.write(createRecord(LEADER)).catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.equal("MarcXmlWriter.write after end");
  });
});
