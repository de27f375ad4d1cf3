import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { validateConfig, type AspaceConfig } from "../../src/config/index.js";
import { REFERENCE_SETTINGS_SOURCE } from "../../src/jobs/aspace2alma/settings.js";
import { repoRoot } from "../helpers/cli.js";

/** The `aspace` section as the schema fills it in when only the keys without a default are given. */
function schemaDefaults(required: Pick<AspaceConfig, "base_url" | "username" | "password">): AspaceConfig {
  return validateConfig({ aspace: required }, { source: "test", baseDir: "/tmp" }).config.aspace!;
}

async function exampleAspace(): Promise<AspaceConfig> {
  const example = JSON.parse(await readFile(path.join(repoRoot, "conf.example.json"), "utf8")) as {
    aspace: AspaceConfig;
  };
  return example.aspace;
}

describe("aspace2alma defaults (schema, conf.example.json, settings)", () => {
  it("documents in conf.example.json exactly the schema's defaults for the aspace section", async () => {
    const example = await exampleAspace();
    const { base_url, username, password } = example;
    // set_id and institution have no default: the example shows what they look like.
    const { set_id: _setId, institution: _institution, ...barcodes } = example.barcodes;
    expect({ ...example, barcodes }).to.deep.equal(schemaDefaults({ base_url, username, password }));
  });

  it("keeps the reference values of settings.ts equal to the schema's defaults", () => {
    const defaults = schemaDefaults({ base_url: "https://aspace.example.edu", username: "u", password: "p" });
    for (const [key, value] of Object.entries(REFERENCE_SETTINGS_SOURCE)) {
      expect(defaults[key as keyof AspaceConfig], key).to.deep.equal(value);
    }
  });
});
