import { expect } from "chai";
import path from "node:path";
import { RequestExportError } from "../../src/jobs/send-requests/errors.js";
import {
  checkRequestExport,
  parseRequestExport,
  readRequestExport,
} from "../../src/jobs/send-requests/export-reader.js";
import { routeFor } from "../../src/jobs/send-requests/route.js";
import type { ExportEntry, SourceRequest } from "../../src/jobs/send-requests/source-request.js";
import { repoRoot } from "../helpers/cli.js";

const fixtures = path.join(repoRoot, "test/fixtures/send-requests");

async function readAll(file: string): Promise<ExportEntry[]> {
  const entries: ExportEntry[] = [];
  for await (const entry of readRequestExport(path.join(fixtures, file))) entries.push(entry);
  return entries;
}

function requestsOf(entries: ExportEntry[]): Omit<SourceRequest, "position">[] {
  return entries.flatMap((entry) => {
    if (entry.kind !== "request") return [];
    const { position: _position, ...request } = entry.request;
    return [request];
  });
}

const NS = "http://com/exlibris/urm/rep/externalsysremotestorage/xmlbeans";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";

describe("reading a remote-storage request export", () => {
  it("reads every field of the reference's sample, with xsi:nil read as absent", async () => {
    const entries = await readAll("indented.xml");
    expect(requestsOf(entries)).to.deep.equal([
      {
        requestId: "2400751600006966",
        requestType: "PATRON_PHYSICAL",
        barcode: "31236016575915",
        mmsId: "991028935729706966",
        pickupLibraryName: "Collections Annex",
        libraryCode: "ANNEX",
        requestNote: "Please handle with care",
        patron: {
          name: "Doe, Jane",
          identifier: "12345678901234",
          email: "jane.doe@example.edu",
          address: "1 Library Way, Springfield",
        },
      },
      {
        requestId: "2400751700006966",
        requestType: "PHYSICAL_TO_DIGITIZATION",
        barcode: "v.2 : 1998",
        mmsId: "991028935729706966",
        description: "v.2",
        institutionCode: "01AAA_CD",
        patron: { identifier: "12345678901234" },
      },
    ]);
  });

  it("reads an element marked xsi:nil as absent even when it has text", () => {
    const entries = parseRequestExport(
      `<xb:rsExportList xmlns:xb="${NS}" xmlns:xsi="${XSI}"><xb:rsExport>` +
        `<xb:requestType>PATRON_PHYSICAL</xb:requestType><xb:requestId>10</xb:requestId>` +
        `<xb:barcode>31236016575915</xb:barcode><xb:requestNote xsi:nil="true">x</xb:requestNote>` +
        `<xb:patronInfo><xb:patronEmail xsi:nil="1">jane@example.edu</xb:patronEmail></xb:patronInfo>` +
        `</xb:rsExport></xb:rsExportList>`,
    );
    expect(requestsOf(entries)).to.deep.equal([
      { requestId: "10", requestType: "PATRON_PHYSICAL", barcode: "31236016575915", patron: {} },
    ]);
  });

  it("makes a request whose barcode is xsi:nil a title-level request", () => {
    const entries = parseRequestExport(
      `<xb:rsExportList xmlns:xb="${NS}" xmlns:xsi="${XSI}"><xb:rsExport>` +
        `<xb:requestType>PATRON_PHYSICAL</xb:requestType><xb:requestId>11</xb:requestId>` +
        `<xb:barcode xsi:nil="true"/><xb:mmsId>991028935729706966</xb:mmsId>` +
        `</xb:rsExport></xb:rsExportList>`,
    );
    const [request] = requestsOf(entries);
    expect(request).to.deep.equal({
      requestId: "11",
      requestType: "PATRON_PHYSICAL",
      mmsId: "991028935729706966",
      patron: {},
    });
    expect(routeFor({ ...request!, position: { index: 1, line: 1, column: 1 } })).to.equal("title hold");
  });

  it("gives the same requests for an indented export and a compact one", async () => {
    expect(requestsOf(await readAll("compact.xml"))).to.deep.equal(requestsOf(await readAll("indented.xml")));
  });

  it("accepts any prefix and a default namespace", () => {
    const prefixed = parseRequestExport(
      `<a:rsExportList xmlns:a="${NS}"><a:rsExport><a:requestType>PATRON_PHYSICAL</a:requestType>` +
        `<a:requestId>1</a:requestId></a:rsExport></a:rsExportList>`,
    );
    const unprefixed = parseRequestExport(
      `<rsExportList xmlns="${NS}"><rsExport><requestType>PATRON_PHYSICAL</requestType>` +
        `<requestId>1</requestId></rsExport></rsExportList>`,
    );
    expect(requestsOf(prefixed)).to.deep.equal([
      { requestId: "1", requestType: "PATRON_PHYSICAL", patron: {} },
    ]);
    expect(requestsOf(unprefixed)).to.deep.equal(requestsOf(prefixed));
  });

  it("ignores elements of other namespaces and reads CDATA as text", () => {
    const entries = parseRequestExport(
      `<xb:rsExportList xmlns:xb="${NS}" xmlns:o="urn:other"><o:note>x</o:note><xb:rsExport>` +
        `<xb:requestType>PATRON_PHYSICAL</xb:requestType><xb:requestId>7</xb:requestId>` +
        `<o:barcode>999</o:barcode><xb:requestNote><![CDATA[fragile & old]]></xb:requestNote>` +
        `</xb:rsExport></xb:rsExportList>`,
    );
    expect(requestsOf(entries)).to.deep.equal([
      { requestId: "7", requestType: "PATRON_PHYSICAL", requestNote: "fragile & old", patron: {} },
    ]);
  });

  it("keeps the inner space of a title-level barcode and trims the outer whitespace", () => {
    const entries = parseRequestExport(
      `<xb:rsExportList xmlns:xb="${NS}"><xb:rsExport><xb:requestType>PATRON_PHYSICAL</xb:requestType>` +
        `<xb:requestId>8</xb:requestId><xb:barcode>\n   v.1 no.2   \n</xb:barcode><xb:mmsId>  </xb:mmsId>` +
        `</xb:rsExport></xb:rsExportList>`,
    );
    expect(requestsOf(entries)).to.deep.equal([
      { requestId: "8", requestType: "PATRON_PHYSICAL", barcode: "v.1 no.2", patron: {} },
    ]);
  });

  it("reports an rsExport without requestId with its position and reads the others", async () => {
    const entries = await readAll("one-broken.xml");
    expect(entries.map((entry) => entry.kind)).to.deep.equal(["request", "invalid", "request"]);
    expect(requestsOf(entries).map((request) => request.requestId)).to.deep.equal([
      "2400000100006966",
      "2400000300006966",
    ]);
    const invalid = entries[1];
    if (invalid?.kind !== "invalid") throw new Error("expected an invalid entry");
    expect(invalid.invalid).to.deep.equal({
      position: { index: 2, line: 8, column: 3 },
      barcode: "31236000000102",
      problems: ["requestId is missing"],
    });
  });

  it("names every missing field of an invalid rsExport and keeps its request id", () => {
    const entries = parseRequestExport(
      `<xb:rsExportList xmlns:xb="${NS}"><xb:rsExport><xb:requestId>9</xb:requestId></xb:rsExport>` +
        `<xb:rsExport><xb:barcode>1</xb:barcode></xb:rsExport></xb:rsExportList>`,
    );
    expect(entries.map((entry) => (entry.kind === "invalid" ? entry.invalid : undefined))).to.deep.equal([
      { position: { index: 1, line: 1, column: 91 }, requestId: "9", problems: ["requestType is missing"] },
      {
        position: { index: 2, line: 1, column: 148 },
        barcode: "1",
        problems: ["requestId is missing", "requestType is missing"],
      },
    ]);
  });

  it("reports a file that is not well-formed with its line and column", async () => {
    const file = path.join(fixtures, "not-well-formed.xml");
    const error = await checkRequestExport(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RequestExportError);
    const exportError = error as RequestExportError;
    expect([exportError.line, exportError.column]).to.deep.equal([9, 50]);
    expect(exportError.message).to.equal(
      `${file} at line 9, column 50: not well-formed XML: unexpected close tag.`,
    );
  });

  it("reports a file whose root is not an export", () => {
    expect(() =>
      parseRequestExport(`<collection xmlns="http://www.loc.gov/MARC21/slim"/>`, "items.xml"),
    ).to.throw(
      RequestExportError,
      `items.xml at line 1, column 1: not a remote-storage request export: the root element is <collection>, ` +
        `not rsExportList in ${NS}`,
    );
  });

  it("reports an empty file and a truncated one", () => {
    expect(() => parseRequestExport("", "empty.xml")).to.throw(
      RequestExportError,
      "empty.xml at line 1, column 1: not well-formed XML: document must contain a root element.",
    );
    expect(() => parseRequestExport(`<xb:rsExportList xmlns:xb="${NS}"><xb:rsExport>`, "cut.xml")).to.throw(
      RequestExportError,
      /^cut\.xml at line 1, column \d+: not well-formed XML: unclosed tag: xb:rsExport/,
    );
  });

  it("counts the rsExports of a well-formed file without acting on them", async () => {
    expect(await checkRequestExport(path.join(fixtures, "one-broken.xml"))).to.equal(3);
  });

  it("streams a large export in chunks and finds every request", async () => {
    const { writeFile } = await import("node:fs/promises");
    const { makeTempDir } = await import("../helpers/temp-dir.js");
    const { dir, cleanup } = await makeTempDir();
    try {
      const count = 5000;
      const body = Array.from(
        { length: count },
        (_, i) =>
          `  <xb:rsExport>\n    <xb:requestType>PATRON_PHYSICAL</xb:requestType>\n` +
          `    <xb:requestId>${i + 1}</xb:requestId>\n    <xb:barcode>B${i + 1}</xb:barcode>\n  </xb:rsExport>\n`,
      ).join("");
      const file = path.join(dir, "large.xml");
      await writeFile(file, `<xb:rsExportList xmlns:xb="${NS}">\n${body}</xb:rsExportList>\n`);
      let seen = 0;
      let last = "";
      for await (const entry of readRequestExport(file)) {
        if (entry.kind === "request") {
          seen += 1;
          last = entry.request.requestId;
        }
      }
      expect([seen, last]).to.deep.equal([count, String(count)]);
    } finally {
      await cleanup();
    }
  });
});
