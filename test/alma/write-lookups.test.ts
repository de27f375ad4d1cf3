import { expect } from "chai";
import { formatId, IdPrefix } from "../../src/sandbox/alma/index.js";
import { testClients } from "./helpers/clients.js";
import { AB, SCF, startSimulatedAlma, type SimulatedAlma } from "./helpers/simulator.js";
import { almaErrorJson, startTestServer, type TestServer } from "./helpers/test-server.js";

const RS = "0003";
const SCF_ADDRESS = {
  mmsId: formatId(IdPrefix.bib, 1, RS),
  holdingId: formatId(IdPrefix.holding, 1, RS),
  pid: formatId(IdPrefix.item, 1, RS),
};
const AB_ADDRESS = {
  mmsId: formatId(IdPrefix.bib, 1, "0001"),
  holdingId: formatId(IdPrefix.holding, 1, "0001"),
  pid: formatId(IdPrefix.item, 1, "0001"),
};
const AB_REQUEST = formatId(IdPrefix.request, 1, "0001");

/** Method and path (no query) of the calls to one institution, in order. */
function sequence(env: SimulatedAlma, institution: string): string[] {
  return env.sim.calls
    .filter((call) => call.institution === institution)
    .map((call) => `${call.method} ${call.path.replace("/almaws/v1", "")}`);
}

describe("look, then write: the default look-ups after an uncertain write", () => {
  let env: SimulatedAlma | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    expect(env?.internalErrors ?? []).to.deep.equal([]);
    await env?.stop();
    await server?.close();
    env = undefined;
    server = undefined;
  });

  it("an update whose answer was lost after Alma applied it is read back, not sent again", async () => {
    env = await startSimulatedAlma();
    const item = (await env.alma.scf.items.findByBarcode("31234000123456X"))!;
    env.sim.setFaults([{ kind: "error", status: 503, phase: "after", method: "PUT", times: 1 }]);
    item.item_data.internal_note_3 = "checked";
    const updated = await env.alma.scf.items.update(item);
    expect(updated.item_data.internal_note_3).to.equal("checked");
    const itemPath = `/bibs/${SCF_ADDRESS.mmsId}/holdings/${SCF_ADDRESS.holdingId}/items/${SCF_ADDRESS.pid}`;
    expect(sequence(env, SCF)).to.deep.equal(["GET /items", `PUT ${itemPath}`, `GET ${itemPath}`]);
  });

  it("an update lost before Alma applied it is sent again after the read-back shows the old record", async () => {
    env = await startSimulatedAlma();
    const item = (await env.alma.scf.items.findByBarcode("31234000123456X"))!;
    env.sim.setFaults([{ kind: "reset", phase: "before", method: "PUT", times: 1 }]);
    item.item_data.internal_note_3 = "checked";
    await env.alma.scf.items.update(item);
    expect(sequence(env, SCF).map((call) => call.split(" ")[0])).to.deep.equal(["GET", "PUT", "GET", "PUT"]);
    expect(env.sim.institution(SCF).items[0]!.item_data.internal_note_3).to.equal("checked");
  });

  it("an update removing a field, lost before Alma applied it, is sent again: the read-back still has the field", async () => {
    env = await startSimulatedAlma();
    env.sim.institution(SCF).items[0]!.item_data.alternative_call_number = "RS 12.3";
    const item = (await env.alma.scf.items.findByBarcode("31234000123456X"))!;
    expect(item.item_data.alternative_call_number).to.equal("RS 12.3");
    env.sim.setFaults([{ kind: "error", status: 503, phase: "before", method: "PUT", times: 1 }]);
    delete item.item_data.alternative_call_number;
    await env.alma.scf.items.update(item);
    expect(sequence(env, SCF).map((call) => call.split(" ")[0])).to.deep.equal(["GET", "PUT", "GET", "PUT"]);
    expect(env.sim.institution(SCF).items[0]!.item_data).not.to.have.property("alternative_call_number");
  });

  it("an update removing a field, lost after Alma applied it, is read back without the field and not sent again", async () => {
    env = await startSimulatedAlma();
    env.sim.institution(SCF).items[0]!.item_data.alternative_call_number = "RS 12.3";
    const item = (await env.alma.scf.items.findByBarcode("31234000123456X"))!;
    env.sim.setFaults([{ kind: "error", status: 503, phase: "after", method: "PUT", times: 1 }]);
    delete item.item_data.alternative_call_number;
    const updated = await env.alma.scf.items.update(item);
    expect(updated.item_data).not.to.have.property("alternative_call_number");
    expect(sequence(env, SCF).map((call) => call.split(" ")[0])).to.deep.equal(["GET", "PUT", "GET"]);
  });

  it("a read-back whose left-out field is empty, as Alma writes an unset one, counts as the update landed", async () => {
    env = await startSimulatedAlma();
    Object.assign(env.sim.institution(SCF).items[0]!.item_data, {
      alternative_call_number: "",
      alternative_call_number_type: { value: "", desc: "" },
    });
    const item = (await env.alma.scf.items.findByBarcode("31234000123456X"))!;
    env.sim.setFaults([{ kind: "error", status: 503, phase: "before", method: "PUT", times: 1 }]);
    delete item.item_data.alternative_call_number;
    delete item.item_data.alternative_call_number_type;
    await env.alma.scf.items.update(item);
    expect(sequence(env, SCF).map((call) => call.split(" ")[0])).to.deep.equal(["GET", "PUT", "GET"]);
  });

  it("a cancellation whose answer was lost is looked up and not sent again", async () => {
    env = await startSimulatedAlma();
    env.sim.setFaults([{ kind: "error", status: 500, phase: "after", method: "DELETE", times: 1 }]);
    await env.alma
      .member(AB)
      .requests.cancelItemRequest(AB_ADDRESS, AB_REQUEST, { reason: "CannotBeFulfilled" });
    expect(sequence(env, AB).map((call) => call.split(" ")[0])).to.deep.equal(["DELETE", "GET"]);
    expect(env.sim.institution(AB).requests[0]!.request_status).to.equal("CANCELLED");
  });

  it("a deletion lost before Alma acted is sent again once the look-up finds the item still there", async () => {
    env = await startSimulatedAlma();
    const address = {
      mmsId: formatId(IdPrefix.bib, 3, "0001"),
      holdingId: formatId(IdPrefix.holding, 3, "0001"),
      pid: formatId(IdPrefix.item, 4, "0001"),
    };
    env.sim.setFaults([{ kind: "error", status: 503, phase: "before", method: "DELETE", times: 1 }]);
    await env.alma.member(AB).items.delete(address);
    expect(sequence(env, AB).map((call) => call.split(" ")[0])).to.deep.equal(["DELETE", "GET", "DELETE"]);
    expect(env.sim.institution(AB).items.some((item) => item.pid === address.pid)).to.equal(false);
  });

  it("a loan whose answer timed out is found among the item's loans, not made twice", async () => {
    const loan = {
      loan_id: "18001",
      user_id: "01AAA_AB-ABRS",
      loan_status: "ACTIVE",
      item_id: SCF_ADDRESS.pid,
    };
    server = await startTestServer((call) => {
      if (call.method === "POST") return { hang: true };
      return { status: 200, body: { item_loan: [loan], total_record_count: 1 } };
    });
    const alma = testClients(server.url, { alma: { read_timeout_ms: 100 } });
    const found = await alma.scf.loans.create("01AAA_AB-ABRS", SCF_ADDRESS, {
      circ_desk: { value: "DEFAULT_CIRC_DESK" },
      library: { value: "RS" },
    });
    expect(found).to.deep.equal(loan);
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).to.deep.equal([
      `POST /almaws/v1/users/01AAA_AB-ABRS/loans?item_pid=${SCF_ADDRESS.pid}`,
      `GET /almaws/v1/bibs/${SCF_ADDRESS.mmsId}/holdings/${SCF_ADDRESS.holdingId}/items/${SCF_ADDRESS.pid}/loans`,
    ]);
  });

  it("an uncertain write that keeps failing gives up after retry_max_total_ms with WRITE_UNCERTAIN", async () => {
    server = await startTestServer((call) =>
      call.method === "POST"
        ? { status: 503, body: almaErrorJson("GENERAL_ERROR", "down") }
        : { status: 400, body: almaErrorJson("401689", "No items found for barcode Z1X.") },
    );
    // Room for several replays even on a loaded machine; each wait is at most 5 ms.
    const alma = testClients(server.url, { alma: { retry_max_total_ms: 500, retry_max_delay_ms: 5 } });
    let caught: unknown;
    try {
      await alma.scf.items.create(SCF_ADDRESS.mmsId, SCF_ADDRESS.holdingId, {
        item_data: { barcode: "Z1X" },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.have.property("code", "WRITE_UNCERTAIN");
    const methods = server.calls.map((call) => call.method);
    expect(methods.filter((method) => method === "POST").length).to.be.greaterThan(1);
    // Never two POSTs in a row: every replay follows a look-up that found nothing.
    methods.forEach((method, index) => {
      if (method === "POST" && index > 0) expect(methods[index - 1]).to.equal("GET");
    });
  });
});
