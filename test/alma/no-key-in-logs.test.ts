import { expect } from "chai";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createAlmaClients } from "../../src/alma/create-alma-clients.js";
import { closeLogger, createLogger } from "../../src/runtime/logger.js";
import type { Redactor } from "../../src/runtime/redactor.js";
import { DEFAULT_API_KEYS, formatId, IdPrefix } from "../../src/sandbox/alma/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { fastAlmaSettings } from "./helpers/config.js";
import { AB, CD, SCF, fixtureCopy, startSimulatedAlma } from "./helpers/simulator.js";

/** A redactor that changes nothing: the test must show the client itself never writes a key. */
const noRedaction = {
  text: (value: string) => value,
  value: (value: unknown) => value,
  field: (_key: string, value: unknown) => value,
} as unknown as Redactor;

const WRONG_KEY = "l7xx-unknown-key-5555555555555555";

describe("API keys in logs and errors", () => {
  it("never writes an API key to a log line or an error message, whatever happens to the calls", async () => {
    const { dir, cleanup } = await makeTempDir();
    const fixture = fixtureCopy();
    fixture.institutions.find((institution) => institution.code === CD)!.daily_budget = 2;
    const env = await startSimulatedAlma({
      fixture,
      alma: { read_timeout_ms: 150, api_remaining_warn_below: 99_999 },
    });
    const logger = createLogger({ level: "debug", folder: dir, redactor: noRedaction, console: false });
    const messages: string[] = [];
    const attempt = async (call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (error) {
        messages.push((error as Error).message, String((error as Error).stack));
      }
    };
    try {
      const config = {
        gateway: env.sim.url,
        remote_storage_inst: SCF,
        remote_storage_apikey: DEFAULT_API_KEYS[SCF],
        institutions: [
          { code: AB, apikey: DEFAULT_API_KEYS[AB], libraries: [] },
          { code: CD, apikey: DEFAULT_API_KEYS[CD], libraries: [] },
          { code: "01AAA_XX", apikey: WRONG_KEY, libraries: [] },
        ],
        alma: fastAlmaSettings({ read_timeout_ms: 150, api_remaining_warn_below: 99_999 }),
      };
      const alma = createAlmaClients(config, logger, { random: () => 0.5 });
      env.sim.setFaults([
        { kind: "error", status: 503, method: "GET", path: "/items$", nth: 1 },
        { kind: "reset", method: "GET", path: "/users/", nth: 1 },
        { kind: "timeout", method: "POST", path: "/items$", ms: 400, times: 1 },
        { kind: "error", status: 503, method: "PUT", times: 1, phase: "after" },
      ]);
      await attempt(() => alma.scf.items.findByBarcode("31234000123456X"));
      await attempt(() => alma.member(AB).users.get("ab-jdoe"));
      await attempt(() => alma.member(AB).users.get("nobody"));
      const scfBib = formatId(IdPrefix.bib, 1, "0003");
      const scfHolding = formatId(IdPrefix.holding, 1, "0003");
      await attempt(() => alma.scf.items.create(scfBib, scfHolding, { item_data: { barcode: "K1X" } }));
      const item = await alma.scf.items.findByBarcode("K1X");
      await attempt(() =>
        alma.scf.items.update({ ...item!, item_data: { ...item!.item_data, description: "v.2" } }),
      );
      await attempt(() =>
        alma.scf.items.scanIn(
          { mmsId: scfBib, holdingId: scfHolding, pid: "bad" },
          { library: "RS", circDesk: "X" },
        ),
      );
      await attempt(() => alma.member("01AAA_XX").items.findByBarcode("1"));
      for (let index = 0; index < 4; index += 1) await attempt(() => alma.member(CD).users.get("cd-asmith"));
      await closeLogger(logger);

      const files = (await readdir(dir)).filter((name) => name.endsWith(".log"));
      const text = (await Promise.all(files.map((name) => readFile(path.join(dir, name), "utf8")))).join(
        "\n",
      );
      // The log holds the calls, the warnings and the failures…
      expect(text).to.contain("Alma GET /almaws/v1/items?item_barcode=31234000123456X 503");
      expect(text).to.contain("looking it up");
      expect(text).to.contain("running low");
      expect(messages.join("\n")).to.contain("UNAUTHORIZED").and.contain("DAILY_THRESHOLD");
      // …and never a key.
      for (const key of [...Object.values(DEFAULT_API_KEYS), WRONG_KEY]) {
        expect(text, "log file").not.to.contain(key);
        expect(messages.join("\n"), "error messages").not.to.contain(key);
      }
      expect(text.toLowerCase()).not.to.contain("apikey");
    } finally {
      await env.stop();
      await cleanup();
    }
  });
});
