import { expect } from "chai";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { validateConfig } from "../../src/config/validate.js";
import { runDoctor, type DoctorCheck, type DoctorReport } from "../../src/jobs/doctor/index.js";
import { silentLogger } from "../../src/runtime/logger.js";
import { AB, CD, SCF, freePort, startSandbox, type Sandbox } from "../../src/sandbox/consortium/index.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { almaRs } from "../sandbox/consortium/processes.js";

type Raw = Record<string, unknown> & {
  institutions: Record<string, unknown>[];
  ftp_server: Record<string, unknown>;
  aspace: Record<string, unknown>;
  caiasoft: Record<string, unknown>;
};

interface DoctorJson extends DoctorReport {
  source: string;
}

const failing = (checks: readonly DoctorCheck[]) => checks.filter((check) => check.status === "fail");

describe("alma-rs doctor", function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir("alma-rs-doctor-"));
    sandbox = await startSandbox({ dir: path.join(dir, "sandbox") });
  });
  afterEach(async () => {
    await sandbox.stop();
    await cleanup();
  });

  /** The sandbox's configuration, changed, as a file. */
  async function configFile(change: (raw: Raw) => void = () => {}): Promise<string> {
    const raw = structuredClone(sandbox.config) as Raw;
    change(raw);
    const file = path.join(dir, `conf-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(raw, null, 2));
    return file;
  }

  /** Doctor run in this process on a changed configuration. */
  async function doctor(change: (raw: Raw) => void): Promise<DoctorReport> {
    const raw = structuredClone(sandbox.config) as Raw;
    change(raw);
    const { config } = validateConfig(raw, { source: "test", baseDir: dir, env: {} });
    return runDoctor(config, silentLogger());
  }

  it("against a broken configuration names each ✘ with its fix and exits 1", async () => {
    const unreachable = await freePort();
    // A member library whose SCF system user was never created.
    sandbox.alma.institution(SCF).users = sandbox.alma
      .institution(SCF)
      .users.filter((user) => user.primary_id !== `${CD}-CDRS`);
    const file = await configFile((raw) => {
      raw.institutions[0]!.apikey = "l7xx-not-the-right-key-0000000000000";
      raw.institutions[1]!.publishing_job_id = "S000000000";
      raw.ftp_server.password = "not-the-password";
      raw.aspace.base_url = `http://127.0.0.1:${unreachable}`;
    });

    const table = await almaRs(["--config", file, "doctor"]);
    expect(table.code, table.stderr).to.equal(1);
    const crosses = table.stdout.split("\n").filter((line) => /^\s+✘/.test(line));
    expect(crosses).to.have.length(5);
    const out = table.stdout;
    expect(out).to.contain(`Alma ${AB}\n  ✘ API key accepted by Alma — 401 UNAUTHORIZED`);
    expect(out).to.contain(`fix: institutions[0].apikey is not a key Alma accepts for ${AB}`);
    expect(out).to.contain(
      `✘ system user ${CD}-CDRS exists, with a home address — GET /users/${CD}-CDRS: no such user`,
    );
    expect(out).to.contain(`fix: create user ${CD}-CDRS in the SCF with a home address`);
    expect(out).to.contain(
      `✘ publishing_job_id S000000000 is a job of ${CD} — Alma has no job S000000000: 400 402461 Job S000000000 was not found.`,
    );
    expect(out).to.contain(
      "fix: set institutions[1].publishing_job_id to the id GET /almaws/v1/conf/jobs?profile_id=",
    );
    expect(out).to.contain('scheduled jobs: S987654322 "Publish remote storage items"');
    expect(out).to.match(/✘ logs in as alma@127\.0\.0\.1:\d+ \(sftp\) — .*login refused/);
    expect(out).to.contain("fix: check ftp_server.user and ftp_server.password");
    expect(out).to.match(
      new RegExp(`✘ logs in at http://127\\.0\\.0\\.1:${unreachable} as alma-export — .*ECONNREFUSED`),
    );
    expect(out).to.contain("fix: check aspace.base_url");
    expect(out).to.contain("5 ✘");
    // What still works is said to work.
    expect(out).to.contain("✔ items endpoint answers at");
    expect(out).to.contain(`✔ system user ${AB}-ABRS exists, with a home address`);
    // No secret from the file reaches the printout.
    expect(out).to.not.contain("not-the-password");
    expect(out).to.not.contain("l7xx-not-the-right-key");

    const json = await almaRs(["--config", file, "--json", "doctor"]);
    expect(json.code).to.equal(1);
    const report = JSON.parse(json.stdout) as DoctorJson;
    expect(report.ok).to.be.false;
    expect(report.source).to.equal(file);
    expect(failing(report.checks).map((check) => `${check.subject}: ${check.check}`)).to.have.members([
      `SCF ${SCF}: system user ${CD}-CDRS exists, with a home address`,
      `Alma ${AB}: API key accepted by Alma`,
      `Alma ${CD}: publishing_job_id S000000000 is a job of ${CD}`,
      `file server: logs in as alma@127.0.0.1:${sandbox.sftp.port} (sftp)`,
      `ArchivesSpace: logs in at http://127.0.0.1:${unreachable} as alma-export`,
    ]);
    expect(failing(report.checks).every((check) => check.fix && check.detail)).to.be.true;
  });

  it("names an area a key may only read, and the fix in the Developer Network's terms", async () => {
    sandbox.alma.institution(AB).permissions.users = "read";
    const report = await doctor(() => {});
    expect(failing(report.checks)).to.deep.equal([
      {
        subject: `Alma ${AB}`,
        check: "API key can write Users",
        status: "fail",
        detail: "401 UNAUTHORIZED: API-key not defined or not configured to allow this API.",
        fix: `in the Developer Network, give this key of ${AB} read/write access to Users (institutions[0].apikey)`,
      },
    ]);
  });

  it("names a missing folder on the file server, and a system user without a home address", async () => {
    await rm(sandbox.served(`/alma/${CD}/requests`), { recursive: true });
    const user = sandbox.alma
      .institution(SCF)
      .users.find((candidate) => candidate.primary_id === `${AB}-ABRS`)!;
    user.contact_info = { address: [] };
    const report = await doctor(() => {});
    expect(failing(report.checks).map((check) => [check.check, check.detail, check.fix])).to.deep.equal([
      [
        `system user ${AB}-ABRS exists, with a home address`,
        "the user has no home address",
        `add a home address to user ${AB}-ABRS in the SCF`,
      ],
      [
        `folder /alma/${CD}/requests exists`,
        "no such folder",
        `create the folder /alma/${CD}/requests on the file server (the remote-storage integration profile of ${CD} exports there)`,
      ],
    ]);
  });

  it("names a changed host key with the key to pin, a refused CaiaSoft key and an Aleph that is gone", async () => {
    await sandbox.aleph.stop();
    const report = await doctor((raw) => {
      raw.ftp_server.host_key_sha256 = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
      raw.caiasoft.api_key = "not-the-caiasoft-key";
    });
    const byService = new Map(failing(report.checks).map((check) => [check.subject, check]));
    expect([...byService.keys()]).to.have.members(["file server", "Aleph", "CaiaSoft"]);
    expect(byService.get("file server")!.fix).to.equal(
      `if the server's key really changed, set ftp_server.host_key_sha256 to ${sandbox.sftp.hostKeySha256}`,
    );
    expect(byService.get("CaiaSoft")!.detail).to.contain("401");
    expect(byService.get("CaiaSoft")!.fix).to.contain("check caiasoft.api_key");
    expect(byService.get("Aleph")!.fix).to.equal("check aleph.items_url and that this server may reach it");
  });

  it("points at aspace.base_url, not the password, when the login is answered 404 (a wrong path)", async () => {
    const report = await doctor((raw) => {
      raw.aspace.base_url = `${String(raw.aspace.base_url).replace(/\/$/, "")}/api`;
    });
    const [aspace] = failing(report.checks);
    expect(aspace?.subject).to.equal("ArchivesSpace");
    expect(aspace?.detail).to.contain("answered 404");
    expect(aspace?.fix).to.equal("check aspace.base_url: it must be the backend API");
  });

  it("names a mistyped remote-storage location of a member library", async () => {
    const report = await doctor((raw) => {
      const libraries = raw.institutions[0]!.libraries as { remote_storage_location: string[] }[];
      libraries[0]!.remote_storage_location = ["rs", "rs-annex"];
    });
    expect(
      failing(report.checks).map((check) => [check.subject, check.check, check.detail, check.fix]),
    ).to.deep.equal([
      [
        `Alma ${AB}`,
        "library ABRS has locations rs, rs-annex",
        "no location rs-annex in ABRS (locations: rs, rs_annex)",
        'correct institutions[0].libraries[0].remote_storage_location: the codes of the locations typed "Remote Storage"',
      ],
    ]);
  });

  it("names a circulation desk a library does not have, for scan-in and for the SCF's loans", async () => {
    const report = await doctor((raw) => {
      raw.remote_storage_circ_desc = "MAIN_DESK";
      const libraries = raw.institutions[1]!.libraries as { circ_desc?: string }[];
      delete libraries[0]!.circ_desc;
    });
    expect(
      failing(report.checks).map((check) => [check.subject, check.check, check.detail, check.fix]),
    ).to.deep.equal([
      [
        `SCF ${SCF}`,
        "library RS has circulation desk MAIN_DESK",
        "desks of RS: DEFAULT_CIRC_DESK",
        "set remote_storage_circ_desc to one of them (sync-items loans the new SCF items at this desk)",
      ],
      [
        `Alma ${CD}`,
        "library CDRS has a circulation desk configured",
        "institutions[1].libraries[0].circ_desc is not set",
        "set institutions[1].libraries[0].circ_desc (scan-in returns items at this desk)",
      ],
    ]);
  });

  it("says once per institution that Alma does not answer at the gateway, and checks nothing behind it", async () => {
    const closed = await freePort();
    const report = await doctor((raw) => {
      raw.gateway = `http://127.0.0.1:${closed}`;
    });
    const alma = report.checks.filter(
      (check) => check.subject.startsWith("SCF") || check.subject.startsWith("Alma"),
    );
    expect(alma.map((check) => [check.subject, check.status, check.check])).to.deep.equal([
      [`SCF ${SCF}`, "fail", "Alma answers at the gateway"],
      [`SCF ${SCF}`, "skip", "holding place, circulation desk, system users"],
      [`Alma ${AB}`, "fail", "Alma answers at the gateway"],
      [`Alma ${AB}`, "skip", "job ids, remote-storage locations, circulation desks"],
      [`Alma ${CD}`, "fail", "Alma answers at the gateway"],
      [`Alma ${CD}`, "skip", "job ids, remote-storage locations, circulation desks"],
    ]);
    expect(alma[0]!.detail).to.contain("ECONNREFUSED");
    expect(alma[0]!.fix).to.equal(
      "check gateway (e.g. https://api-na.hosted.exlibrisgroup.com) and that this server may reach it",
    );
    expect(alma[1]!.detail).to.equal("not checked: Alma did not answer");
  });

  it("finds a job id by looking it up, a job run by hand as well as a scheduled one", async () => {
    sandbox.alma.institution(CD).jobs.push({
      id: "M555000111",
      name: "Publish remote storage items (run by hand)",
      type: "MANUAL",
      category: "PUBLISHING",
    });
    const report = await doctor((raw) => {
      raw.institutions[1]!.publishing_job_id = "M555000111";
    });
    const check = report.checks.find((c) => c.check === `publishing_job_id M555000111 is a job of ${CD}`);
    expect(check?.status).to.equal("ok");
    expect(check?.detail).to.equal("Publish remote storage items (run by hand)");
    expect(failing(report.checks)).to.deep.equal([]);
  });

  it("refuses one job id given as both the publishing and the requests export job", async () => {
    const report = await doctor((raw) => {
      raw.institutions[0]!.publishing_job_id = raw.institutions[0]!.requests_job_id;
    });
    const [both] = failing(report.checks);
    expect(both?.check).to.match(/^requests_job_id \S+ is a job of 01AAA_AB$/);
    expect(both?.detail).to.contain("it is also publishing_job_id");
    expect(failing(report.checks)).to.have.length(1);
  });

  it("checks only the sections a configuration has", async () => {
    const report = await doctor((raw) => {
      for (const section of ["aspace", "aleph", "caiasoft"]) delete (raw as Record<string, unknown>)[section];
    });
    expect(report.ok).to.be.true;
    const subjects = new Set(report.checks.map((check) => check.subject));
    expect([...subjects]).to.deep.equal([`SCF ${SCF}`, `Alma ${AB}`, `Alma ${CD}`, "file server", "webhook"]);
  });

  it("names a missing webhook secret, without which serve-webhook will not start", async () => {
    const report = await doctor((raw) => {
      delete (raw as Record<string, unknown>).webhook_secret;
    });
    expect(report.ok).to.be.false;
    expect(failing(report.checks)).to.deep.equal([
      {
        subject: "webhook",
        check: "webhook_secret is set (serve-webhook checks Alma's signatures with it)",
        status: "fail",
        detail: "webhook_secret is not set: serve-webhook will not start",
        fix: 'set webhook_secret (e.g. "env:WEBHOOK_SECRET") to the secret of the Alma webhook profiles',
      },
    ]);
  });

  it("exits 2 on a configuration it cannot read, naming the problem", async () => {
    const file = await configFile((raw) => {
      delete raw.gateway;
    });
    const result = await almaRs(["--config", file, "doctor"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain("gateway: required when institutions are configured");
  });
});
