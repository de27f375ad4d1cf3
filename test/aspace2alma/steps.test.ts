import { expect } from "chai";
import { parseBarcodeReport } from "../../src/jobs/aspace2alma/alma-barcodes.js";
import { mapInOrder } from "../../src/jobs/aspace2alma/map-in-order.js";
import { listResources } from "../../src/jobs/aspace2alma/list-resources.js";
import { AbortError } from "../../src/runtime/errors.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("aspace2alma steps", () => {
  describe("parseBarcodeReport", () => {
    it("reads Alma Analytics' report: BOM, CRLF, header Barcode, blank lines and blanks ignored", () => {
      const barcodes = parseBarcodeReport(
        "\uFEFFBarcode\r\n32101000000020\r\n 32101000001203 \r\n\r\n",
        "r.csv",
      );
      expect([...barcodes]).to.deep.equal(["32101000000020", "32101000001203"]);
    });

    it("finds the Barcode column among others", () => {
      const barcodes = parseBarcodeReport('Title,"Barcode"\n"A, b",111\nC,222\n', "r.csv");
      expect([...barcodes]).to.deep.equal(["111", "222"]);
    });

    it("refuses a report without a Barcode header, naming it", () => {
      expect(() => parseBarcodeReport("32101000000020\r\n", "/alma/aspace/r.csv"))
        .to.throw(AbortError)
        .with.property("message", "the barcode report /alma/aspace/r.csv has no Barcode column");
    });
  });

  describe("mapInOrder", () => {
    it("yields results in item order however the work finishes", async () => {
      const delays = [50, 5, 30, 0, 10, 1];
      const out: number[] = [];
      for await (const value of mapInOrder(delays, async (ms, i) => (await wait(ms), i), {
        concurrency: 3,
      })) {
        out.push(value);
      }
      expect(out).to.deep.equal([0, 1, 2, 3, 4, 5]);
    });

    it("runs at most `concurrency` at once and starts at most `window` ahead of the consumer", async () => {
      let running = 0;
      let most = 0;
      let started = 0;
      const items = Array.from({ length: 20 }, (_, i) => i);
      const generator = mapInOrder(
        items,
        async () => {
          started++;
          most = Math.max(most, ++running);
          await wait(2);
          running--;
        },
        { concurrency: 2, window: 5 },
      );
      await generator.next();
      await wait(30);
      expect(started).to.be.at.most(6);
      for await (const _ of generator) void _;
      expect(most).to.equal(2);
      expect(started).to.equal(20);
    });

    it("starts nothing more once the consumer leaves the loop", async () => {
      let started = 0;
      const items = Array.from({ length: 50 }, (_, i) => i);
      for await (const i of mapInOrder(items, async (n) => (started++, await wait(1), n), {
        concurrency: 2,
      })) {
        if (i === 1) break;
      }
      await wait(30);
      expect(started).to.be.lessThan(12);
    });
  });

  describe("listResources", () => {
    it("orders by repository number, then resource id, and drops duplicate ids", async () => {
      const resources = await listResources({
        repositories: () => Promise.resolve([{ uri: "/repositories/12" }, { uri: "/repositories/3" }]),
        resourceIds: (uri) => Promise.resolve(uri === "/repositories/3" ? [10, 9, 2, 10] : [1]),
      });
      expect(resources.map((r) => r.uri)).to.deep.equal([
        "/repositories/3/resources/2",
        "/repositories/3/resources/9",
        "/repositories/3/resources/10",
        "/repositories/12/resources/1",
      ]);
    });
  });
});
