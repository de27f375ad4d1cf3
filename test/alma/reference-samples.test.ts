import { expect } from "chai";
import { AlmaError } from "../../src/alma/errors.js";
import { testClients } from "./helpers/clients.js";
import { startTestServer, type TestServer } from "./helpers/test-server.js";
import { ERROR_JSON_SAMPLE, ERROR_XML_SAMPLE, ITEM_JSON_SAMPLE } from "./fixtures/reference-samples.js";

describe("the reference's samples, answered verbatim over HTTP", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("reads the item JSON and PUTs it back with every field it does not model, only the change differing", async () => {
    server = await startTestServer((call) => ({
      status: 200,
      body: call.method === "PUT" ? call.body : ITEM_JSON_SAMPLE,
    }));
    const alma = testClients(server.url);
    const item = (await alma.scf.items.findByBarcode("31234000123456"))!;
    expect(item.item_data).to.include({
      pid: "231000000030001",
      barcode: "31234000123456",
      po_line: "POL-12345",
    });
    expect(item.item_data.provenance?.value).to.equal("01AAA_AB");
    expect(item.holding_data?.in_temp_location).to.equal(false);
    expect(item.bib_data?.network_number).to.have.length(2);

    item.item_data.internal_note_2 = "moved";
    await alma.scf.items.update(item);
    const put = server.calls.find((call) => call.method === "PUT")!;
    expect(put.url).to.equal(
      "/almaws/v1/bibs/991000000010001/holdings/221000000020001/items/231000000030001",
    );
    const expected = JSON.parse(ITEM_JSON_SAMPLE) as { item_data: Record<string, unknown> };
    expected.item_data.internal_note_2 = "moved";
    expect(JSON.parse(put.body)).to.deep.equal(expected);
  });

  it("turns the JSON error sample into a 'not found' for a look-up and an AlmaError for a write", async () => {
    server = await startTestServer(() => ({ status: 400, body: ERROR_JSON_SAMPLE }));
    const alma = testClients(server.url);
    expect(await alma.scf.users.get("X")).to.equal(undefined);
    let caught: unknown;
    try {
      await alma.scf.users.createLinked("01AAA_AB", "X");
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(AlmaError);
    expect(caught).to.include({
      status: 400,
      errorCode: "401861",
      errorMessage: "User with identifier X was not found.",
      trackingId: "E01-…",
      isNotFound: true,
    });
  });

  it("reads the XML error sample (Alma's gateway answers XML even to a JSON call)", async () => {
    server = await startTestServer(() => ({ status: 400, body: ERROR_XML_SAMPLE }));
    const alma = testClients(server.url);
    let caught: unknown;
    try {
      await alma.scf.conf.libraries();
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(AlmaError);
    expect(caught).to.include({
      status: 400,
      errorCode: "…",
      errorMessage: "…",
      trackingId: "…",
      isNotFound: true,
    });
    expect(await alma.scf.bibs.get("1")).to.equal(undefined);
  });
});
