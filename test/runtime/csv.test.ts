import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { formatCsvRow, parseCsv } from "../../src/runtime/csv.js";
import { appendErrorReport, errorReportPath } from "../../src/runtime/error-report.js";
import { makeTempDir } from "../helpers/temp-dir.js";

describe("CSV report", () => {
  it("round-trips commas, quotes, newlines and empty values (RFC 4180)", () => {
    const rows = [
      ["Barcode", "Institution", "Message"],
      ["31234000123456", "01AAA_AB", 'Alma said: "No items found", try later'],
      ["", "01AAA_CD", "line one\nline two\r\nline three"],
      ["A,B", "", ""],
    ];
    const text = rows.map((row) => formatCsvRow(row)).join("");
    expect(parseCsv(text)).to.deep.equal(rows);
  });

  it("writes null and undefined as empty fields instead of crashing", () => {
    expect(formatCsvRow([null, undefined, "x"])).to.equal(",,x\r\n");
  });

  it("reads a BOM and CRLF export like Alma Analytics writes", () => {
    expect(parseCsv("\uFEFFBarcode\r\n32101\r\n32102\r\n")).to.deep.equal([
      ["Barcode"],
      ["32101"],
      ["32102"],
    ]);
  });

  it("names the day's report {ReportName}_log_{yyyyMMdd}.csv and writes the header once", async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const file = errorReportPath(dir, "SyncItems", new Date(2026, 10, 25, 2, 30));
      expect(path.basename(file)).to.equal("SyncItems_log_20261125.csv");
      // 50 writers at once on a report that does not exist yet: one header, first, and every row kept.
      const messages = Array.from({ length: 50 }, (_, i) => `failure ${i}, with a comma`);
      await Promise.all(
        messages.map((message, i) =>
          appendErrorReport(file, { barcode: String(i), institution: "01AAA_AB", message }),
        ),
      );
      await appendErrorReport(file, { barcode: null, institution: null, message: "no barcode" });
      const rows = parseCsv(await readFile(file, "utf8"));
      expect(rows[0]).to.deep.equal(["Barcode", "Institution", "Message"]);
      expect(rows).to.have.length(52);
      expect(
        rows
          .slice(1)
          .map((r) => r[2])
          .sort(),
      ).to.deep.equal([...messages, "no barcode"].sort());
      expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).to.deep.equal([]);
    } finally {
      await cleanup();
    }
  });
});
