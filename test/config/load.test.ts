import { expect } from "chai";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/config-error.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const minimal = (marker: string) => JSON.stringify({ state_dir: marker });

/** The ConfigError loadConfig throws; fails the test when it loads. */
async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<ConfigError> {
  try {
    await loadConfig(options);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).not.to.contain("l8xx-secret-abc");
    return error as ConfigError;
  }
  expect.fail("expected a ConfigError");
}

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

  it("names the line and column of a JSON syntax error without quoting the file, which holds keys", async () => {
    const file = path.join(dir, "bad.json");
    await writeFile(
      file,
      '{\n  "gateway": "https://x.example",\n  "remote_storage_apikey": "l8xx-secret-abc",\n  "state_dir": ,\n}\n',
    );
    const error = await loadError({ configPath: "bad.json", cwd: dir, env: {} });
    expect(error.message).to.equal(
      `configuration file ${file} is not valid JSON: line 4, column 16: unexpected character`,
    );
  });

  it("names the position V8 gives for a missing comma, and keeps its reason", async () => {
    const file = path.join(dir, "bad.json");
    await writeFile(file, '{\n  "remote_storage_apikey": "l8xx-secret-abc" "state_dir": "s"\n}\n');
    const error = await loadError({ configPath: "bad.json", cwd: dir, env: {} });
    expect(error.message).to.equal(
      `configuration file ${file} is not valid JSON: line 2, column 46: expected ',' or '}' after property value`,
    );
  });

  it("names the line and column of a YAML syntax error without its code frame", async () => {
    const file = path.join(dir, ".alma-rsrc");
    await writeFile(file, 'institutions: [\n  apikey: "l8xx-secret-abc"\n b: x\n');
    const error = await loadError({ configPath: ".alma-rsrc", cwd: dir, env: {} });
    expect(error.message).to.equal(
      `configuration file ${file} is not valid YAML: line 3, column 2: missed comma between flow collection entries`,
    );
  });

  it("names the line and column of a remote configuration's JSON error, not its text", async () => {
    const error = await loadError({
      env: { CONFIG_FILE: "https://alma:hunter22@files.example.edu/conf.json" },
      fetchRemote: () => Promise.resolve('{\n  "remote_storage_apikey": l8xx-secret-abc\n}'),
    });
    expect(error.message).to.equal(
      "configuration at https://alma@files.example.edu/conf.json is not valid JSON: line 2, column 28: unexpected character",
    );
  });

  it("refuses a CONFIG_FILE URL that does not parse as a configuration error, without echoing it", async () => {
    const error = await loadError({
      env: { CONFIG_FILE: "sftp://alma:hunter22@files.example.edu:notaport/conf.json" },
      fetchRemote: () => Promise.reject(new Error("not called")),
    });
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal("CONFIG_FILE is not a valid URL (sftp://, ftp://, ftps:// or https://)");
  });

  it("keeps the URL's password out of a fetcher's message that quotes the URL", async () => {
    const error = await loadError({
      env: { CONFIG_FILE: "https://alma:hunter22@files.example.edu/conf.json" },
      fetchRemote: (url) => Promise.reject(new Error(`GET ${url.href} answered 404`)),
    });
    expect(error.message).to.equal(
      "cannot fetch configuration from https://alma@files.example.edu/conf.json: " +
        "GET https://alma:***@files.example.edu/conf.json answered 404",
    );
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
