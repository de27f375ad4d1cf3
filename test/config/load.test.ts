import { expect } from "chai";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/config-error.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const minimal = (marker: string) => JSON.stringify({ state_dir: marker });

describe("configuration search order", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    await writeFile(path.join(dir, ".alma-rsrc.json"), minimal("from-rc"));
    await writeFile(path.join(dir, "explicit.json"), minimal("from-flag"));
    await writeFile(path.join(dir, "env.json"), minimal("from-env"));
  });
  afterEach(() => cleanup());

  it("takes --config before CONFIG_FILE and the search", async () => {
    const loaded = await loadConfig({
      configPath: "explicit.json",
      cwd: dir,
      stopDir: dir,
      env: { CONFIG_FILE: "env.json" },
    });
    expect(loaded.config.state_dir).to.equal(path.join(dir, "from-flag"));
  });

  it("takes CONFIG_FILE before the search", async () => {
    const loaded = await loadConfig({
      cwd: dir,
      stopDir: dir,
      env: { CONFIG_FILE: path.join(dir, "env.json") },
    });
    expect(loaded.config.state_dir).to.equal(path.join(dir, "from-env"));
    expect(loaded.source).to.equal(path.join(dir, "env.json"));
  });

  it("finds .alma-rsrc.json by searching from the working folder upwards", async () => {
    const nested = path.join(dir, "a", "b");
    await mkdir(nested, { recursive: true });
    const loaded = await loadConfig({ cwd: nested, stopDir: dir, env: {} });
    expect(loaded.config.state_dir).to.equal(path.join(dir, "from-rc"));
  });

  it("prefers the alma-rs names over the Java app's conf.json in the same folder", async () => {
    await writeFile(path.join(dir, "conf.json"), minimal("from-java-conf"));
    const loaded = await loadConfig({ cwd: dir, stopDir: dir, env: {} });
    expect(loaded.config.state_dir).to.equal(path.join(dir, "from-rc"));
  });

  it("falls back to conf.json, the Java app's name", async () => {
    const { dir: other, cleanup: done } = await makeTempDir();
    try {
      await writeFile(path.join(other, "conf.json"), minimal("from-java-conf"));
      const loaded = await loadConfig({ cwd: other, stopDir: other, env: {} });
      expect(loaded.config.state_dir).to.equal(path.join(other, "from-java-conf"));
    } finally {
      await done();
    }
  });

  it("says which file is missing when --config names none", async () => {
    try {
      await loadConfig({ configPath: "nope.json", cwd: dir, env: {} });
      expect.fail("expected a ConfigError");
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.equal(`configuration file not found: nope.json`);
    }
  });

  it("names the file when its JSON is malformed", async () => {
    await writeFile(path.join(dir, "broken.json"), '{"gateway": ');
    try {
      await loadConfig({ configPath: "broken.json", cwd: dir, env: {} });
      expect.fail("expected a ConfigError");
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.contain("broken.json");
    }
  });

  it("fetches a URL through the given fetcher and never shows its password", async () => {
    const seen: string[] = [];
    const loaded = await loadConfig({
      env: { CONFIG_FILE: "sftp://alma:hunter22@files.example.edu/conf/conf.json" },
      cwd: dir,
      fetchRemote: (url) => {
        seen.push(url.pathname);
        return Promise.resolve(minimal("remote"));
      },
    });
    expect(seen).to.deep.equal(["/conf/conf.json"]);
    expect(loaded.source).to.equal("sftp://alma@files.example.edu/conf/conf.json");
  });
});
