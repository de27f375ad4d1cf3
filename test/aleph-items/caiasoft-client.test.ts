import { expect } from "chai";
import {
  CaiasoftClient,
  CaiasoftHttpError,
  incomingItemsBody,
  itemUpdatesBody,
  parseIncomingItemsOutcome,
  parseItemUpdatesOutcome,
  splitIntoBatches,
} from "../../src/caiasoft/index.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { CaiasoftSimulator } from "../../src/sandbox/caiasoft/index.js";

const KEY = "caiasoft-test-key-42";
const RETRY = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

describe("CaiaSoft client", () => {
  describe("request bodies", () => {
    const item = {
      barcode: "1",
      title: "T",
      author: null,
      volume: "",
      copy_number: 0,
      shared_contrib: false,
    };

    it("sends new items unchanged, nulls kept", () => {
      expect(JSON.parse(incomingItemsBody([item]))).to.deep.equal({ incoming: [item] });
    });

    it("sends null fields of updates as CLEARFIELD*, and nothing else changed", () => {
      expect(JSON.parse(itemUpdatesBody([item]))).to.deep.equal({
        items: [
          {
            barcode: "1",
            title: "T",
            author: "CLEARFIELD*",
            volume: "",
            copy_number: 0,
            shared_contrib: false,
          },
        ],
      });
    });

    it("cuts lists into batches of the configured size", () => {
      expect(splitIntoBatches([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
      expect(splitIntoBatches([], 500)).to.deep.equal([]);
      expect(() => splitIntoBatches([1], 0)).to.throw("batch size must be a positive integer, not 0");
    });
  });

  describe("reading /incomingitems answers", () => {
    const sent = ["A", "B", "C"];

    it("parses counts sent as strings", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":true,"error":"","incoming_count":"3","rejected_count":"0","rejects":[],"warnings":[]}`,
        sent,
      );
      expect(outcome).to.deep.equal({
        sent: 3,
        accepted: 3,
        success: true,
        error: "",
        answered: true,
        problems: [],
        countMismatch: undefined,
        warnings: [],
      });
    });

    it("names each reject with CaiaSoft's reason, whatever shape the entry has", () => {
      const outcome = parseIncomingItemsOutcome(
        JSON.stringify({
          success: true,
          incoming_count: 0,
          rejected_count: "3",
          rejects: [
            { barcode: "A", reason: "Barcode already exists" },
            "B - invalid collection",
            { item: "C" },
          ],
        }),
        sent,
      );
      expect(outcome.problems).to.deep.equal([
        { barcode: "A", reason: "Barcode already exists" },
        { barcode: "B", reason: "B - invalid collection" },
        { barcode: "C", reason: "no reason given" },
      ]);
      expect(outcome.countMismatch).to.equal(undefined);
    });

    it("notices counts that do not add up (CaiaSoft once took only the last barcode of a batch)", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":true,"incoming_count":"1","rejected_count":"0","rejects":[]}`,
        sent,
      );
      expect(outcome.countMismatch).to.equal("CaiaSoft counted 1 incoming and 0 rejected of 3 items sent");
      const unnamed = parseIncomingItemsOutcome(
        `{"success":true,"incoming_count":"2","rejected_count":"1","rejects":[]}`,
        sent,
      );
      expect(unnamed.countMismatch).to.equal("CaiaSoft counted 1 rejected items but named 0");
    });

    it("names the items a success:true answer neither accepted nor named when it accepted none", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":true,"incoming_count":"0","rejected_count":"1","rejects":[{"barcode":"B","reason":"Bad"}]}`,
        sent,
      );
      const reason =
        "not accepted by CaiaSoft, not named in its answer (CaiaSoft counted 0 incoming and 1 rejected of 3 items sent)";
      expect(outcome.problems).to.deep.equal([
        { barcode: "B", reason: "Bad" },
        { barcode: "A", reason },
        { barcode: "C", reason },
      ]);
      expect([outcome.answered, outcome.countMismatch]).to.deep.equal([true, undefined]);
    });

    it("reads a named barcode with spaces around it as the barcode sent", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":true,"incoming_count":"2","rejected_count":"1","rejects":[{"barcode":" B ","reason":"Dup"}]}`,
        sent,
      );
      expect(outcome.problems).to.deep.equal([{ barcode: "B", reason: "Dup" }]);
      expect(outcome.countMismatch).to.equal(undefined);
    });

    it("reports the sent item when CaiaSoft rejects a barcode the batch did not send, though the counts add up", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":true,"incoming_count":"0","rejected_count":"1","rejects":[{"barcode":"Z","reason":"Dup"}]}`,
        ["A"],
      );
      expect(outcome.problems).to.deep.equal([
        { barcode: "Z", reason: "Dup" },
        {
          barcode: "A",
          reason:
            'not accepted by CaiaSoft, not named in its answer (CaiaSoft named "Z", which this batch did not send)',
        },
      ]);
    });

    it("leaves a batch unanswered when success:false accepts nothing and names nothing", () => {
      const outcome = parseIncomingItemsOutcome(`{"success":false,"error":"Invalid collection"}`, ["A", "B"]);
      expect(outcome).to.deep.include({ answered: false, accepted: 0, error: "Invalid collection" });
      expect(outcome.problems).to.deep.equal([]);
      const zero = parseIncomingItemsOutcome(`{"success":false,"incoming_count":"0","rejects":[]}`, ["A"]);
      expect(zero.answered).to.equal(false);
    });

    it("reports every sent item a success:false answer did not name, with CaiaSoft's error", () => {
      const outcome = parseIncomingItemsOutcome(
        JSON.stringify({
          success: false,
          error: "Some items failed",
          rejects: [{ barcode: "B", reason: "Barcode already exists" }],
        }),
        sent,
      );
      expect(outcome.answered).to.equal(true);
      expect(outcome.problems).to.deep.equal([
        { barcode: "B", reason: "Barcode already exists" },
        { barcode: "A", reason: "CaiaSoft answered success:false: Some items failed" },
        { barcode: "C", reason: "CaiaSoft answered success:false: Some items failed" },
      ]);
    });

    it("says so when a success:false answer gives no error and accepted some of the items it did not name", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":false,"incoming_count":"1","rejects":["A - invalid collection"]}`,
        sent,
      );
      expect(outcome.problems).to.deep.equal([
        { barcode: "A", reason: "A - invalid collection" },
        {
          barcode: "B",
          reason:
            "not accepted by CaiaSoft, not named in its answer (CaiaSoft accepted 1 of the 2 items it did not name)",
        },
        {
          barcode: "C",
          reason:
            "not accepted by CaiaSoft, not named in its answer (CaiaSoft accepted 1 of the 2 items it did not name)",
        },
      ]);
    });

    it("reports only the named items when a success:false answer accounts for every item sent", () => {
      const outcome = parseIncomingItemsOutcome(
        `{"success":false,"error":"x","incoming_count":"2","rejects":[{"barcode":"C","reason":"Bad"}]}`,
        sent,
      );
      expect(outcome.problems).to.deep.equal([{ barcode: "C", reason: "Bad" }]);
    });

    const broken: [string, string][] = [
      [
        "<html>oops</html>",
        "CaiaSoft's answer to POST /incomingitems/v1 is not JSON (saved as /r/1-p1.new-1.response.json)",
      ],
      [
        "{}",
        "CaiaSoft's answer to POST /incomingitems/v1 has no success flag (saved as /r/1-p1.new-1.response.json)",
      ],
      [
        `{"success":true}`,
        "CaiaSoft's answer to POST /incomingitems/v1 has no incoming_count (saved as /r/1-p1.new-1.response.json)",
      ],
      [
        `{"success":true,"incoming_count":"two"}`,
        `CaiaSoft's answer to POST /incomingitems/v1 has incoming_count "two", which is not a count (saved as /r/1-p1.new-1.response.json)`,
      ],
      [
        `{"success":true,"incoming_count":"3","rejects":{}}`,
        "CaiaSoft's answer to POST /incomingitems/v1 has rejects as something other than a list (saved as /r/1-p1.new-1.response.json)",
      ],
    ];
    for (const [body, message] of broken) {
      it(`refuses ${body}`, () => {
        expect(() => parseIncomingItemsOutcome(body, sent, "/r/1-p1.new-1.response.json")).to.throw(message);
      });
    }
  });

  describe("reading /itemupdates answers", () => {
    it("names each error with CaiaSoft's reason", () => {
      const outcome = parseItemUpdatesOutcome(
        `{"success":true,"total_count":"2","updated_count":"1","errors":[{"barcode":"B","error":"Item not found"}]}`,
        ["A", "B"],
      );
      expect([outcome.accepted, outcome.problems, outcome.countMismatch]).to.deep.equal([
        1,
        [{ barcode: "B", reason: "Item not found" }],
        undefined,
      ]);
    });

    it("notices items neither updated nor named", () => {
      const outcome = parseItemUpdatesOutcome(
        `{"success":true,"total_count":"2","updated_count":"1","errors":[]}`,
        ["A", "B"],
      );
      expect(outcome.countMismatch).to.equal("CaiaSoft updated 1 of 2 items and named 0 errors");
      const total = parseItemUpdatesOutcome(
        `{"success":true,"total_count":"1","updated_count":"1","errors":[]}`,
        ["A", "B"],
      );
      expect(total.countMismatch).to.equal("CaiaSoft counted 1 of 2 items sent");
    });

    it("names the items of an update answer that updated none and named fewer than were sent", () => {
      const outcome = parseItemUpdatesOutcome(
        `{"success":true,"total_count":"3","updated_count":"0","errors":[{"barcode":"A","error":"Item not found"}]}`,
        ["A", "B", "C"],
      );
      const reason =
        "not accepted by CaiaSoft, not named in its answer (CaiaSoft updated 0 of 3 items and named 1 errors)";
      expect([outcome.problems, outcome.countMismatch]).to.deep.equal([
        [
          { barcode: "A", reason: "Item not found" },
          { barcode: "B", reason },
          { barcode: "C", reason },
        ],
        undefined,
      ]);
    });

    it("reports every update a success:false answer did not name, and leaves unanswered one that names none", () => {
      const outcome = parseItemUpdatesOutcome(
        `{"success":false,"error":"Partial failure","errors":[{"barcode":"B","error":"Item not found"}]}`,
        ["A", "B"],
      );
      expect(outcome.problems).to.deep.equal([
        { barcode: "B", reason: "Item not found" },
        { barcode: "A", reason: "CaiaSoft answered success:false: Partial failure" },
      ]);
      expect(parseItemUpdatesOutcome(`{"success":false,"error":"Down"}`, ["A"]).answered).to.equal(false);
    });
  });

  describe("over HTTP, against the simulator", () => {
    let caiasoft: CaiasoftSimulator;
    const client = (apiKey = KEY, timeoutMs = 1000) =>
      new CaiasoftClient({
        baseUrl: `${caiasoft.baseUrl}/`,
        apiKey,
        timeoutMs,
        retry: RETRY,
        logger: silentLogger(),
      });
    beforeEach(async () => {
      caiasoft = new CaiasoftSimulator({ apiKey: KEY });
      await caiasoft.start();
    });
    afterEach(() => caiasoft.stop());

    it("posts JSON with X-API-Key and returns CaiaSoft's body as text", async () => {
      const answer = await client().post("/incomingitems/v1", incomingItemsBody([{ barcode: "A" }]));
      expect(caiasoft.calls[0]).to.deep.include({ endpoint: "incomingitems", authorized: true });
      expect(JSON.parse(answer.body)).to.deep.include({ success: true, incoming_count: "1" });
      expect(answer.call).to.equal("POST /incomingitems/v1");
    });

    it("does not retry a refused key, and the error does not carry it", async () => {
      const error = (await client("wrong-key-000")
        .post("/itemupdates/v1", itemUpdatesBody([{ barcode: "A" }]))
        .catch((e: unknown) => e)) as CaiasoftHttpError;
      expect(error).to.be.instanceOf(CaiasoftHttpError);
      expect(error.message).to.equal("CaiaSoft POST /itemupdates/v1 answered HTTP 401");
      expect(error.body).to.equal(`{"success":false,"error":"Invalid API Key"}`);
      expect(caiasoft.calls).to.have.length(1);
      expect(JSON.stringify(error) + String(error.stack)).to.not.include("wrong-key-000");
    });

    it("retries a 500 and a time-out", async () => {
      caiasoft.failCall(1, { kind: "status", status: 500 });
      caiasoft.failCall(2, { kind: "hang", ms: 1_000 });
      const answer = await client(KEY, 200).post("/incomingitems/v1", incomingItemsBody([{ barcode: "A" }]));
      expect(answer.attempts).to.equal(3);
      expect(caiasoft.processed("incomingitems")).to.have.length(1);
    });

    it("gives up after the last attempt, naming the cause", async () => {
      caiasoft.addFault(() => true, { kind: "hang", ms: 1_000 });
      const error = (await client(KEY, 100)
        .post("/incomingitems/v1", incomingItemsBody([{ barcode: "A" }]))
        .catch((e: unknown) => e)) as Error;
      expect(error.message).to.equal(
        "CaiaSoft POST /incomingitems/v1 failed after 3 attempts: timed out after 100 ms",
      );
    });
  });
});
