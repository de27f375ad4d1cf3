import { expect } from "chai";
import {
  AlmaDailyLimitError,
  AlmaError,
  AlmaNetworkError,
  AlmaWriteUncertainError,
} from "../../src/alma/errors.js";
import { exitCodeForError } from "../../src/cli/run-command.js";
import { AbortError } from "../../src/runtime/errors.js";
import { ExitCode } from "../../src/runtime/exit-codes.js";
import { testClients } from "./helpers/clients.js";
import { MEMBER_CODE, MEMBER_KEY, SCF_CODE, SCF_KEY } from "./helpers/config.js";
import { memoryLogger } from "./helpers/memory-logger.js";
import {
  almaErrorJson,
  refusedUrl,
  startTestServer,
  type Reply,
  type TestServer,
} from "./helpers/test-server.js";

const ITEM = {
  item_data: { pid: "231", barcode: "B1" },
  holding_data: { holding_id: "221" },
  bib_data: { mms_id: "991" },
};
const ADDRESS = { mmsId: "991", holdingId: "221", pid: "231" };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("Alma transport", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server answering the calls in turn with `replies`, then 200 `{}`. */
  async function serve(...replies: Reply[]): Promise<TestServer> {
    server = await startTestServer((_call, index) => replies[index] ?? { status: 200, body: {} });
    return server;
  }

  it("sends the key as an Authorization header, never in the URL, and asks for JSON", async () => {
    const { url, calls } = await serve({ status: 200, body: ITEM });
    const alma = testClients(url);
    await alma.scf.items.findByBarcode("B1X");
    await alma.member(MEMBER_CODE).items.findByBarcode("B1");
    expect(calls.map((call) => call.headers.authorization)).to.deep.equal([
      `apikey ${SCF_KEY}`,
      `apikey ${MEMBER_KEY}`,
    ]);
    for (const call of calls) {
      expect(call.url).not.to.match(/apikey/i);
      expect(call.headers.accept).to.equal("application/json");
    }
  });

  it("URL-encodes every query value and path segment", async () => {
    const { url, calls } = await serve({ status: 200, body: {} }, { status: 200, body: { holding: [] } });
    const alma = testClients(url);
    await alma.scf.items.findByBarcode("31234 5&x=1#+é");
    await alma.scf.holdings.list("99/1?a");
    expect(calls[0]!.url).to.equal("/almaws/v1/items?item_barcode=31234+5%26x%3D1%23%2B%C3%A9");
    expect(new URL(calls[0]!.url, url).searchParams.get("item_barcode")).to.equal("31234 5&x=1#+é");
    expect(calls[1]!.url).to.equal("/almaws/v1/bibs/99%2F1%3Fa/holdings");
  });

  it("sends items as JSON and holdings and bibs as XML", async () => {
    const { url, calls } = await serve(
      { status: 200, body: ITEM },
      { status: 200, body: { holding_id: "222" } },
      { status: 200, body: { mms_id: "992" } },
    );
    const alma = testClients(url);
    await alma.scf.items.create("991", "221", ITEM);
    await alma.scf.holdings.create("991", "RS", "rs<shared>");
    await alma.scf.bibs.createFromNz("9912345600001");
    expect(calls[0]!.headers["content-type"]).to.match(/^application\/json/);
    expect(JSON.parse(calls[0]!.body)).to.deep.equal(ITEM);
    expect(calls[1]!.headers["content-type"]).to.equal("application/xml");
    expect(calls[1]!.body).to.equal(
      '<holding><record><datafield ind1="0" ind2=" " tag="852"><subfield code="b">RS</subfield>' +
        '<subfield code="c">rs&lt;shared&gt;</subfield></datafield></record>' +
        "<suppress_from_publishing>false</suppress_from_publishing></holding>",
    );
    expect(calls[2]!.headers["content-type"]).to.equal("application/xml");
    expect(calls[2]!.url).to.equal(
      "/almaws/v1/bibs?from_nz_mms_id=9912345600001&validate=false&override_warning=true",
    );
    expect(calls[2]!.body).to.equal("<bib/>");
  });

  it("retries a read after 500, 503 ROUTING_ERROR, a reset and a 429 PER_SECOND_THRESHOLD", async () => {
    const { url, calls } = await serve(
      { status: 500, body: almaErrorJson("GENERAL_ERROR", "oops") },
      { status: 503, body: almaErrorJson("ROUTING_ERROR", "no route") },
      { reset: true },
      { status: 429, body: almaErrorJson("PER_SECOND_THRESHOLD", "slow down") },
      { status: 200, body: ITEM },
    );
    const item = await testClients(url).scf.items.findByBarcode("B1");
    expect(item?.item_data.pid).to.equal("231");
    expect(calls).to.have.length(5);
  });

  it("retries a read after a read time-out", async () => {
    const { url, calls } = await serve({ hang: true }, { status: 200, body: ITEM });
    const item = await testClients(url, { alma: { read_timeout_ms: 100 } }).scf.items.findByBarcode("B1");
    expect(item?.item_data.barcode).to.equal("B1");
    expect(calls).to.have.length(2);
  });

  it("gives up after retry_max_total_ms with the last answer", async () => {
    const { url, calls } = await serve(...Array.from({ length: 200 }, () => ({ status: 503 })));
    const alma = testClients(url, {
      alma: { retry_initial_delay_ms: 10, retry_max_delay_ms: 10, retry_max_total_ms: 60 },
    });
    const error = await rejection(alma.scf.items.findByBarcode("B1"));
    expect(error).to.be.instanceOf(AlmaError);
    expect((error as AlmaError).status).to.equal(503);
    expect((error as AlmaError).retries).to.equal(calls.length - 1);
    expect(calls.length).to.be.within(2, 8);
  });

  it("does not retry a 4xx other than 429", async () => {
    const { url, calls } = await serve({
      status: 401,
      body: almaErrorJson("UNAUTHORIZED", "API-key not defined"),
    });
    const error = await rejection(testClients(url).scf.items.findByBarcode("B1"));
    expect(error).to.be.instanceOf(AlmaError);
    expect(error).to.include({ status: 401, errorCode: "UNAUTHORIZED", retries: 0 });
    expect(calls).to.have.length(1);
  });

  it("turns a look-up's 'not found' into undefined", async () => {
    const { url } = await serve(
      { status: 400, body: almaErrorJson("401689", "No items found for barcode B1.") },
      { status: 404, body: "" },
    );
    const alma = testClients(url);
    expect(await alma.scf.items.findByBarcode("B1")).to.equal(undefined);
    expect(await alma.scf.users.get("nobody")).to.equal(undefined);
  });

  it("replays a write refused with 429 PER_SECOND_THRESHOLD (it surely did not happen)", async () => {
    const { url, calls } = await serve(
      { status: 429, body: almaErrorJson("PER_SECOND_THRESHOLD", "slow down") },
      { status: 200, body: ITEM },
    );
    const item = await testClients(url).scf.items.create("991", "221", ITEM);
    expect(item.item_data.pid).to.equal("231");
    expect(calls.map((call) => call.method)).to.deep.equal(["POST", "POST"]);
  });

  it("replays a write while the connection is refused, and reports a network error in the end", async () => {
    const alma = testClients(await refusedUrl(), { alma: { retry_max_total_ms: 40, retry_max_delay_ms: 5 } });
    const error = await rejection(alma.scf.loans.create("01AAA_AB-ABRS", ADDRESS, {}));
    expect(error).to.be.instanceOf(AlmaNetworkError);
    expect(error).to.include({ networkCode: "ECONNREFUSED", method: "POST" });
    expect((error as AlmaNetworkError).retries).to.be.greaterThan(0);
  });

  for (const [name, reply] of [
    ["a 503", { status: 503, body: almaErrorJson("GENERAL_ERROR", "down") }],
    ["a reset", { reset: true }],
  ] as [string, Reply][]) {
    it(`does not replay a write after ${name}: it throws WRITE_UNCERTAIN`, async () => {
      const { url, calls } = await serve(reply);
      const alma = testClients(url);
      const error = await rejection(alma.scf.items.scanIn(ADDRESS, { library: "AB", circDesk: "DESK" }));
      expect(error).to.be.instanceOf(AlmaWriteUncertainError);
      expect(error).to.include({ code: "WRITE_UNCERTAIN", method: "POST", institution: SCF_CODE });
      expect(calls).to.have.length(1);
    });
  }

  it("does not replay a write after a read time-out", async () => {
    const { url, calls } = await serve({ hang: true });
    const alma = testClients(url, { alma: { read_timeout_ms: 100 } });
    const error = await rejection(alma.scf.items.scanIn(ADDRESS, { library: "AB", circDesk: "DESK" }));
    expect(error).to.be.instanceOf(AlmaWriteUncertainError);
    expect((error as AlmaWriteUncertainError).cause).to.be.instanceOf(AlmaNetworkError);
    expect((error as AlmaWriteUncertainError).message).to.contain("ETIMEDOUT");
    expect(calls).to.have.length(1);
  });

  it("replays a write marked replay-safe (a user refresh) after a 503", async () => {
    const { url, calls } = await serve({ status: 503 }, { status: 200, body: { primary_id: "U1" } });
    const user = await testClients(url).scf.users.refresh("U1");
    expect(user.primary_id).to.equal("U1");
    expect(calls.map((call) => `${call.method} ${call.url}`)).to.deep.equal([
      "POST /almaws/v1/users/U1?op=refresh",
      "POST /almaws/v1/users/U1?op=refresh",
    ]);
  });

  it("stops on DAILY_THRESHOLD with an abort (exit 3) naming the institution, and calls it no more", async () => {
    const { url, calls } = await serve({
      status: 429,
      body: almaErrorJson("DAILY_THRESHOLD", "Daily threshold reached"),
      headers: { "x-exl-api-remaining": "0" },
    });
    const alma = testClients(url);
    const error = await rejection(alma.member(MEMBER_CODE).items.findByBarcode("B1"));
    expect(error).to.be.instanceOf(AlmaDailyLimitError).and.instanceOf(AbortError);
    expect((error as Error).message)
      .to.contain(MEMBER_CODE)
      .and.contain("DAILY_THRESHOLD");
    expect(exitCodeForError(error)).to.equal(ExitCode.Aborted);
    const again = await rejection(alma.member(MEMBER_CODE).items.findByBarcode("B2"));
    expect(again).to.be.instanceOf(AlmaDailyLimitError);
    expect(calls).to.have.length(1);
    expect(alma.budget.lowest(MEMBER_CODE)).to.equal(0);
    await alma.scf.items.findByBarcode("B1X");
    expect(calls).to.have.length(2);
  });

  it("keeps the lowest X-Exl-Api-Remaining per institution and warns once when it runs low", async () => {
    const remaining = ["500", "120", "99", "98", "150"];
    server = await startTestServer((_call, index) => ({
      status: 200,
      body: {},
      headers: { "x-exl-api-remaining": remaining[index] ?? "1000" },
    }));
    const { logger, entries } = memoryLogger();
    const alma = testClients(server.url, { logger, alma: { api_remaining_warn_below: 100 } });
    for (let index = 0; index < 5; index += 1) await alma.scf.users.get(`U${index}`);
    await alma.member(MEMBER_CODE).users.get("U9");
    expect(alma.budget.summary()).to.deep.equal({ [SCF_CODE]: 98, [MEMBER_CODE]: 1000 });
    const warnings = entries.filter((entry) => entry.level === "warn");
    expect(warnings.map((entry) => entry.message)).to.deep.equal([
      `Alma API budget of ${SCF_CODE} is running low: 99 calls left today (warning below 100)`,
    ]);
  });

  it("logs every call at debug with method, path, status, milliseconds and retries", async () => {
    const { url } = await serve({ status: 503 }, { status: 200, body: ITEM });
    const { logger, entries } = memoryLogger();
    await testClients(url, { logger }).scf.items.findByBarcode("B1X");
    const calls = entries.filter((entry) => entry.level === "debug" && entry.message.startsWith("Alma GET"));
    expect(calls.map((entry) => entry.message)).to.deep.equal([
      "Alma GET /almaws/v1/items?item_barcode=B1X 503",
      "Alma GET /almaws/v1/items?item_barcode=B1X: retry 1 in 2 ms (HTTP 503)",
      "Alma GET /almaws/v1/items?item_barcode=B1X 200",
    ]);
    expect(calls[2]).to.include({ institution: SCF_CODE, status: 200, retries: 1 });
    expect(calls[2]!.ms).to.be.a("number");
  });
});
