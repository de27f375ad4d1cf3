import { expect } from "chai";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { validateConfig } from "../../../src/config/validate.js";
import { readMarc } from "../../../src/marc/reader.js";
import { getDataFields, subfieldValue } from "../../../src/marc/record.js";
import { DEFAULT_API_KEYS } from "../../../src/sandbox/alma/index.js";
import {
  AB,
  BARCODES,
  CD,
  PORT_OFFSETS,
  SCF,
  freePort,
  signEvent,
  startSandbox,
  type Sandbox,
} from "../../../src/sandbox/consortium/index.js";
import { computeSignature } from "../../../src/webhook/signature.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function almaGet(
  sandbox: Sandbox,
  path: string,
  key: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sandbox.endpoints.almaGateway}/almaws/v1/${path}`, {
    headers: { authorization: `apikey ${key}`, accept: "application/json" },
  });
  return { status: response.status, body: await response.json() };
}

async function itmFields(file: string): Promise<{ barcode?: string; library?: string; location?: string }[]> {
  const out = [];
  for await (const record of readMarc(file)) {
    for (const field of getDataFields(record, "ITM")) {
      out.push({
        barcode: subfieldValue(field, "b"),
        library: subfieldValue(field, "c"),
        location: subfieldValue(field, "l"),
      });
    }
  }
  return out;
}

describe("the consortium sandbox (startSandbox)", function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let cleanup: () => Promise<void>;

  before(async () => {
    const temp = await makeTempDir("alma-rs-sandbox-test-");
    cleanup = temp.cleanup;
    sandbox = await startSandbox({ dir: temp.dir });
  });
  after(async () => {
    await sandbox?.stop();
    await cleanup();
  });

  it("returns a configuration that validates, with every section filled and state under its folder", () => {
    const { config } = validateConfig(sandbox.config, { source: "test", baseDir: sandbox.dir, env: {} });
    expect(config.gateway).to.equal(sandbox.endpoints.almaGateway);
    expect(config.ftp_server?.host_key_sha256).to.equal(sandbox.sftp.hostKeySha256);
    expect(
      config.institutions.map((inst) => [inst.code, inst.publishing_job_id, inst.requests_job_id]),
    ).to.deep.equal([
      [AB, "S987654321", "S123456789"],
      [CD, "S987654322", "S123456790"],
    ]);
    expect(config.remote_storage_inst).to.equal(SCF);
    expect(config.aspace?.base_url).to.equal(sandbox.endpoints.aspace.baseUrl);
    expect(config.aleph?.items_url).to.equal(sandbox.endpoints.alephItemsUrl);
    expect(config.caiasoft?.base_url).to.equal(sandbox.endpoints.caiasoft.baseUrl);
    expect(config.webhook_secret).to.be.a("string").with.length.above(20);
    expect(config.webhook.port).to.be.above(0);
    expect(config.state_dir.startsWith(sandbox.dir)).to.be.true;
    expect(config.log.folder.startsWith(sandbox.dir)).to.be.true;
    expect(config.sync_items.loan_delay_ms).to.be.at.most(200);
  });

  it("plays the SCF and both members in Alma, each under its own key", async () => {
    for (const code of [SCF, AB, CD] as const) {
      const answer = await almaGet(sandbox, "conf/libraries", DEFAULT_API_KEYS[code]);
      expect(answer.status, code).to.equal(200);
    }
    const onShelf = await almaGet(
      sandbox,
      `items?item_barcode=${BARCODES.abOnShelf}X`,
      DEFAULT_API_KEYS[SCF],
    );
    expect(onShelf.status).to.equal(200);
    expect((await almaGet(sandbox, "conf/libraries", "not-a-key")).status).to.equal(401);
  });

  it("seeds publishing files with creates, updates, an item leaving remote storage and a _delete file", async () => {
    const ab = sandbox.seeded.publishing[AB]!;
    const cd = sandbox.seeded.publishing[CD]!;
    expect(ab).to.have.length(1);
    expect(cd.some((file) => file.endsWith("_delete.tar.gz"))).to.be.true;
    const abItems = await itmFields(sandbox.served(ab[0]!));
    expect(abItems).to.deep.include({ barcode: BARCODES.abNew, library: "ABRS", location: "rs" });
    expect(abItems).to.deep.include({ barcode: BARCODES.abLeft, library: "ABMAIN", location: "stacks" });
    const deleted = await itmFields(sandbox.served(cd.find((file) => file.includes("_delete"))!));
    expect(deleted.map((item) => item.barcode)).to.deep.equal([BARCODES.cdWithdrawn]);
    // What the files say happens is possible in the SCF: the leaving and withdrawn items have copies there.
    const scfBarcodes = sandbox.alma.institution(SCF).items.map((item) => item.item_data.barcode);
    expect(scfBarcodes).to.include.members([`${BARCODES.abLeft}X`, `${BARCODES.cdWithdrawn}X`]);
    expect(scfBarcodes).to.not.include(`${BARCODES.abNew}X`);
  });

  it("seeds request exports (an item hold, a title-level hold, a digitization) and the barcode report", async () => {
    const abExport = await readFile(sandbox.served(sandbox.seeded.requests[AB]![0]!), "utf8");
    expect(abExport).to.contain("<xb:rsExportList");
    expect(abExport.match(/<xb:rsExport>/g)).to.have.length(3);
    expect(abExport).to.contain("<xb:requestType>PHYSICAL_TO_DIGITIZATION</xb:requestType>");
    const titleLevel = abExport
      .split("<xb:rsExport>")
      .filter((part) => part.includes("requestId") && !part.includes("<xb:barcode>"));
    expect(titleLevel).to.have.length(1);
    const report = await readFile(sandbox.served(sandbox.seeded.barcodeReport), "utf8");
    expect(report.startsWith("\uFEFFBarcode\r\n")).to.be.true;
  });

  it("lets the SCF's staff return a loan, and gives the LOAN_RETURNED event Alma sends", async () => {
    const scfBarcode = `${BARCODES.abOnLoan}X`;
    const event = await sandbox.scfStaff.returnLoan(scfBarcode);
    expect(event).to.deep.include({ action: "LOAN" });
    expect(event.event).to.deep.include({ value: "LOAN_RETURNED" });
    expect(event.item_loan).to.deep.include({ item_barcode: scfBarcode, user_id: `${AB}-ABRS` });
    const item = sandbox.alma
      .institution(SCF)
      .items.find((candidate) => candidate.item_data.barcode === scfBarcode)!;
    const active = sandbox.alma
      .institution(SCF)
      .loans.filter((loan) => loan.item_id === item.pid && loan.loan_status === "ACTIVE");
    expect(active).to.have.length(0);
  });

  it("signs events as Alma does (the listener's own check agrees)", () => {
    const body = JSON.stringify({ id: "1", action: "LOAN" });
    expect(signEvent(body, "a-secret")).to.equal(computeSignature(Buffer.from(body), "a-secret"));
  });
});

describe("the consortium sandbox with --port-base", function () {
  this.timeout(30_000);

  it("puts every service at its fixed port and frees them all on stop", async () => {
    const { dir, cleanup } = await makeTempDir("alma-rs-sandbox-ports-");
    // Six free ports in a row are likely just above a free one; retried on a clash.
    let sandbox: Sandbox | undefined;
    let base = 0;
    for (let attempt = 0; attempt < 5 && !sandbox; attempt++) {
      base = ((await freePort()) % 50_000) + 10_000;
      sandbox = await startSandbox({ dir, portBase: base }).catch(() => undefined);
    }
    try {
      expect(sandbox, "a sandbox on six fixed ports").to.exist;
      const ports = {
        alma: Number(new URL(sandbox!.endpoints.almaGateway).port),
        sftp: sandbox!.endpoints.sftp.port,
        aspace: Number(new URL(sandbox!.endpoints.aspace.baseUrl).port),
        aleph: Number(new URL(sandbox!.endpoints.alephItemsUrl).port),
        caiasoft: Number(new URL(sandbox!.endpoints.caiasoft.baseUrl).port),
        webhook: sandbox!.endpoints.webhook.port,
      };
      for (const [service, offset] of Object.entries(PORT_OFFSETS)) {
        expect(ports[service as keyof typeof ports], service).to.equal(base + offset);
      }
      // Through the relay, ArchivesSpace answers its login.
      const login = await fetch(
        `${sandbox!.endpoints.aspace.baseUrl}/users/${sandbox!.endpoints.aspace.username}/login`,
        { method: "POST", body: new URLSearchParams({ password: sandbox!.endpoints.aspace.password }) },
      );
      expect(login.status).to.equal(200);
    } finally {
      await sandbox?.stop();
    }
    for (const offset of [0, 1, 2, 3, 4])
      expect(await listening(base + offset), `port ${base + offset}`).to.be.false;
    expect(existsSync(dir)).to.be.true;
    await cleanup();
  });
});
