import { expect } from "chai";
import {
  AlephHttpError,
  AlephItemsClient,
  firstPageQuery,
  hasMoreItems,
  itemsQueryUrl,
  nextPageQuery,
  parseItemsPage,
} from "../../src/aleph/index.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { AlephSimulator } from "../../src/sandbox/aleph/index.js";

const RETRY = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

describe("Aleph items client", () => {
  describe("the continuation protocol (seed 002)", () => {
    it("asks the first page with starttime only", () => {
      expect(itemsQueryUrl("https://aleph.example.edu/cgi-bin/items", firstPageQuery("20200601"))).to.equal(
        "https://aleph.example.edu/cgi-bin/items?starttime=20200601",
      );
    });

    it("asks a follow-up with the same starttime, the previous endtime and nextitem", () => {
      const query = nextPageQuery("20200601", "202007021300", "003375441000010");
      expect(itemsQueryUrl("https://aleph.example.edu/cgi-bin/items?x=1", query)).to.equal(
        "https://aleph.example.edu/cgi-bin/items?x=1&starttime=20200601&endtime=202007021300&nextitem=003375441000010",
      );
    });

    it("goes on only for a non-empty nextitem", () => {
      expect([
        hasMoreItems("0033"),
        hasMoreItems(""),
        hasMoreItems(null),
        hasMoreItems(undefined),
      ]).to.deep.equal([true, false, false, false]);
    });
  });

  describe("reading an answer", () => {
    it("reads the reference's example, nulls kept and an empty nextitem read as the last page", () => {
      const page = parseItemsPage(
        JSON.stringify({
          starttime: "20200601",
          endtime: "20200603",
          nextitem: "",
          new: [{ barcode: "31430051335943", author: null, oclc: "61684218" }],
          update: [{ barcode: "31430035848219", title: "Speaking for vice" }],
        }),
      );
      expect(page).to.deep.equal({
        starttime: "20200601",
        endtime: "20200603",
        nextitem: null,
        new: [{ barcode: "31430051335943", author: null, oclc: "61684218" }],
        update: [{ barcode: "31430035848219", title: "Speaking for vice" }],
        unusable: [],
      });
    });

    it("takes missing new and update lists as empty", () => {
      const page = parseItemsPage(`{"endtime":"20200603","nextitem":null}`);
      expect([page.new, page.update, page.nextitem]).to.deep.equal([[], [], null]);
    });

    const broken: [string, string][] = [
      ["<html>", "Aleph's answer is not JSON (saved as /runs/1-p1.aleph-response.json)"],
      ["[]", "Aleph's answer is not a JSON object (saved as /runs/1-p1.aleph-response.json)"],
      [`{"new":[]}`, "Aleph's answer has no endtime (saved as /runs/1-p1.aleph-response.json)"],
      [
        `{"endtime":"1","nextitem":5}`,
        "Aleph's answer has a nextitem that is not a string (saved as /runs/1-p1.aleph-response.json)",
      ],
      [
        `{"endtime":"1","update":{}}`,
        `Aleph's answer has "update" as something other than a list (saved as /runs/1-p1.aleph-response.json)`,
      ],
    ];
    for (const [body, message] of broken) {
      it(`refuses ${body}: "${message}"`, () => {
        expect(() => parseItemsPage(body, "/runs/1-p1.aleph-response.json")).to.throw(message);
      });
    }

    it("sets aside entries without a barcode", () => {
      const page = parseItemsPage(
        `{"endtime":"1","new":[{"barcode":"1"},{"barcode":""},7],"update":[{"title":"t"}]}`,
      );
      expect(page.new).to.deep.equal([{ barcode: "1" }]);
      expect(page.unusable).to.deep.equal([
        { list: "new", index: 1, reason: "item has no barcode" },
        { list: "new", index: 2, reason: "entry is not an object" },
        { list: "update", index: 0, reason: "item has no barcode" },
      ]);
    });
  });

  describe("over HTTP, against the simulator", () => {
    let aleph: AlephSimulator;
    let client: AlephItemsClient;
    beforeEach(async () => {
      aleph = new AlephSimulator({
        items: [{ barcode: "1", created: "202001011200" }],
        clock: "202001020000",
      });
      await aleph.start();
      client = new AlephItemsClient({
        itemsUrl: aleph.url,
        timeoutMs: 200,
        retry: RETRY,
        logger: silentLogger(),
      });
    });
    afterEach(() => aleph.stop());

    it("retries a 503 and returns the body as text", async () => {
      aleph.failCall(1, { kind: "status", status: 503 });
      aleph.failCall(2, { kind: "status", status: 502 });
      const answer = await client.fetchItems(firstPageQuery("20200101"));
      expect(answer.attempts).to.equal(3);
      expect(JSON.parse(answer.body)).to.deep.include({ starttime: "20200101", endtime: "202001020000" });
    });

    it("gives up after the last attempt, naming the URL and the cause", async () => {
      aleph.addFault(() => true, { kind: "status", status: 500, body: "down" });
      const error = (await client
        .fetchItems(firstPageQuery("20200101"))
        .catch((e: unknown) => e)) as AlephHttpError;
      expect(error).to.be.instanceOf(AlephHttpError);
      expect(error.message).to.equal(
        `Aleph items endpoint ${aleph.url}?starttime=20200101 failed after 3 attempts: HTTP 500`,
      );
      expect([error.status, error.body, error.attempts]).to.deep.equal([500, "down", 3]);
    });

    it("does not retry a 404", async () => {
      aleph.addFault(() => true, { kind: "status", status: 404 });
      const error = (await client.fetchItems(firstPageQuery("20200101")).catch((e: unknown) => e)) as Error;
      expect(error.message).to.equal(
        `Aleph items endpoint ${aleph.url}?starttime=20200101 answered HTTP 404`,
      );
      expect(aleph.calls).to.have.length(1);
    });

    it("times out a call that hangs and retries it", async () => {
      aleph.addFault(() => true, { kind: "hang", ms: 1_000 }, 2);
      expect((await client.fetchItems(firstPageQuery("20200101"))).attempts).to.equal(3);
    });

    it("gives up on a call that hangs every time, naming the time-out", async () => {
      aleph.addFault(() => true, { kind: "hang", ms: 1_000 });
      const error = (await client.fetchItems(firstPageQuery("20200101")).catch((e: unknown) => e)) as Error;
      expect(error.message).to.equal(
        `Aleph items endpoint ${aleph.url}?starttime=20200101 failed after 3 attempts: timed out after 200 ms`,
      );
    });
  });
});

describe("Aleph simulator", () => {
  let aleph: AlephSimulator;
  afterEach(() => aleph.stop());

  it("puts an item changed exactly at a window's endtime in the next window, not both", () => {
    aleph = new AlephSimulator({ items: [{ barcode: "1", created: "202001020000" }] });
    expect(aleph.entries("20200101", "202001020000")).to.deep.equal([]);
    expect(aleph.entries("202001020000", "202001030000").map((e) => e.list)).to.deep.equal(["new"]);
  });

  it("answers 400 to a request that breaks the continuation protocol", async () => {
    aleph = new AlephSimulator();
    await aleph.start();
    const client = new AlephItemsClient({
      itemsUrl: aleph.url,
      timeoutMs: 1000,
      retry: RETRY,
      logger: silentLogger(),
    });
    const error = (await client
      .fetchItems({ starttime: "20200101", endtime: "202001020000" })
      .catch((e: unknown) => e)) as AlephHttpError;
    expect(error.status).to.equal(400);
    expect(error.body).to.equal(`{"error":"endtime without nextitem: a first request takes starttime only"}`);
  });
});
