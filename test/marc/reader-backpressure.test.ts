import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import { createGzip } from "node:zlib";
import { readMarc } from "../../src/marc/index.js";

/** A record of fixed length whose note is random, so gzip cannot shrink the stream to nothing. */
function record(): string {
  return (
    '<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">n</controlfield>' +
    '<datafield tag="ITM" ind1=" " ind2=" "><subfield code="b">31236016575915</subfield>' +
    `<subfield code="n">${randomBytes(60).toString("hex")}</subfield></datafield></record>\n`
  );
}
const RECORD_LENGTH = record().length;

/** A source of `total` records made on demand, counting how many bytes the reader has pulled from it. */
function countingSource(total: number): { stream: Readable; pulled: () => number } {
  let made = 0;
  let bytes = 0;
  const stream = new Readable({
    highWaterMark: 16 * 1024,
    read() {
      let chunk = made === 0 ? "<collection>\n" : "";
      while (chunk.length < 4096 && made < total) {
        chunk += record();
        made++;
      }
      if (made === total) chunk += "</collection>\n";
      bytes += Buffer.byteLength(chunk);
      this.push(chunk);
      if (made === total) this.push(null);
    },
  });
  return { stream, pulled: () => bytes };
}

describe("MARC-XML reader back-pressure", () => {
  it("does not read ahead of a slow consumer beyond a chunk and the stream's own buffer", async () => {
    const total = 50_000; // about 16 MB of XML
    const { stream, pulled } = countingSource(total);
    let seen = 0;
    for await (const record of readMarc({ stream, name: "slow" })) {
      expect(record.leader).to.have.length(24);
      seen++;
      await tick();
      if (seen === 200) break;
    }
    // 200 records are 64 KB; the reader may hold one 4 KB chunk and the stream its 16 KB buffer.
    expect(pulled()).to.be.lessThan(200 * RECORD_LENGTH + 64 * 1024);
    expect(pulled()).to.be.lessThan((total * RECORD_LENGTH) / 50);
  });

  it("reads gzip input only as fast as the records are taken", async () => {
    const total = 50_000;
    const { stream, pulled } = countingSource(total);
    let seen = 0;
    for await (const record of readMarc({
      stream: stream.pipe(createGzip()),
      name: "slow.gz",
      format: "gzip",
    })) {
      expect(record.fields).to.have.length(2);
      seen++;
      await tick();
      if (seen === 200) break;
    }
    // The gzip and gunzip stages each buffer a few chunks; still a small fraction of the source.
    expect(pulled()).to.be.lessThan(200 * RECORD_LENGTH + 512 * 1024);
    expect(pulled()).to.be.lessThan((total * RECORD_LENGTH) / 20);
  });

  it("reads everything when the consumer keeps up", async () => {
    const total = 5_000;
    const { stream, pulled } = countingSource(total);
    let seen = 0;
    for await (const record of readMarc({ stream, name: "fast" })) if (record.leader !== "") seen++;
    expect(seen).to.equal(total);
    expect(pulled()).to.equal(total * RECORD_LENGTH + "<collection>\n</collection>\n".length);
  });
});
