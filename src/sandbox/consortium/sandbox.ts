import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { AlephSimulator } from "../aleph/index.js";
import { DEFAULT_API_KEYS, startAlmaSimulator, type AlmaSimulator } from "../alma/index.js";
import { AspaceSimulator, aspaceCleanSeedRepositories } from "../aspace/index.js";
import { CaiasoftSimulator } from "../caiasoft/index.js";
import { startSftpServer, type RunningSftpServer } from "../transfer/index.js";
import { alephOptions } from "./aleph-history.js";
import { SCF, sandboxFixture } from "./fixture.js";
import { forwardPort, freePort, type PortForward } from "./port-forward.js";
import { sandboxConfig, type SandboxEndpoints } from "./sandbox-config.js";
import { scfStaff, type ScfStaff } from "./scf-staff.js";
import { seedFileServer, type SeededFiles } from "./seed-files.js";

export interface SandboxOptions {
  /** Where the file server's folder, the state and the logs go. */
  dir: string;
  /**
   * Fixed ports: Alma at N, SFTP N+1, ArchivesSpace N+2, Aleph N+3, CaiaSoft N+4, the webhook listener's
   * configured port N+5. None: free ports.
   */
  portBase?: number;
}

/** The simulated outside world: every service on 127.0.0.1, seeded with a morning's work. */
export interface Sandbox {
  readonly dir: string;
  /** The configuration pointing at it all (plain JSON, every section filled). */
  readonly config: Record<string, unknown>;
  readonly endpoints: SandboxEndpoints;
  readonly alma: AlmaSimulator;
  readonly sftp: RunningSftpServer;
  readonly aspace: AspaceSimulator;
  readonly aleph: AlephSimulator;
  readonly caiasoft: CaiasoftSimulator;
  /** What was put on the file server, by remote path. */
  readonly seeded: SeededFiles;
  /** The SCF's staff at work in Alma (returning a loan, cancelling a request), and the events Alma sends. */
  readonly scfStaff: ScfStaff;
  /** A path on the file server, as a path on the local disk. */
  served(remotePath: string): string;
  stop(): Promise<void>;
}

/** Offsets from `portBase`. */
export const PORT_OFFSETS = { alma: 0, sftp: 1, aspace: 2, aleph: 3, caiasoft: 4, webhook: 5 } as const;

/**
 * Starts the Alma simulator (SCF `01AAA_RS`, members `01AAA_AB` and `01AAA_CD`), an SFTP server, and the
 * ArchivesSpace, Aleph and CaiaSoft simulators, seeds the file server, and returns the configuration for them.
 * If anything fails to start, what did start is stopped again.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dir = path.resolve(options.dir);
  const at = (service: keyof typeof PORT_OFFSETS) =>
    options.portBase === undefined ? 0 : options.portBase + PORT_OFFSETS[service];
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const sftpRoot = path.join(dir, "sftp");
    await mkdir(sftpRoot, { recursive: true });
    const seeded = await seedFileServer(sftpRoot);

    const alma = await startAlmaSimulator({ fixture: sandboxFixture(), port: at("alma") });
    stops.push(() => alma.stop());
    const sftp = await startSftpServer({ root: sftpRoot, user: "alma", port: at("sftp") });
    stops.push(() => sftp.close());
    const aspace = await AspaceSimulator.start({
      repositories: aspaceCleanSeedRepositories(),
      username: "alma-export",
      password: secret("aspace"),
    });
    stops.push(() => aspace.close());
    const aleph = new AlephSimulator(alephOptions());
    await aleph.start();
    stops.push(() => aleph.stop());
    const caiasoftKey = secret("caiasoft");
    const caiasoft = new CaiasoftSimulator({ apiKey: caiasoftKey });
    await caiasoft.start();
    stops.push(() => caiasoft.stop());

    const relay = async (url: string, service: "aspace" | "aleph" | "caiasoft"): Promise<string> => {
      if (options.portBase === undefined) return url;
      const target = new URL(url);
      const forward: PortForward = await forwardPort(at(service), Number(target.port));
      stops.push(() => forward.close());
      target.port = String(forward.port);
      return target.href.replace(/\/$/, "");
    };
    const endpoints: SandboxEndpoints = {
      almaGateway: alma.url,
      sftp: {
        host: sftp.host,
        port: sftp.port,
        user: sftp.user,
        password: sftp.password,
        hostKeySha256: sftp.hostKeySha256,
      },
      aspace: {
        baseUrl: await relay(aspace.url, "aspace"),
        username: aspace.username,
        password: aspace.password,
      },
      alephItemsUrl: await relay(aleph.url, "aleph"),
      caiasoft: { baseUrl: await relay(caiasoft.baseUrl, "caiasoft"), apiKey: caiasoftKey },
      webhook: {
        port: options.portBase === undefined ? await freePort() : at("webhook"),
        secret: secret("webhook"),
      },
    };
    return {
      dir,
      config: sandboxConfig(endpoints, dir),
      endpoints,
      alma,
      sftp,
      aspace,
      aleph,
      caiasoft,
      seeded,
      scfStaff: scfStaff(alma, {
        code: SCF,
        apikey: DEFAULT_API_KEYS[SCF],
        library: "RS",
        circDesk: "DEFAULT_CIRC_DESK",
      }),
      served: (remotePath) => path.join(sftpRoot, ...remotePath.split("/").filter(Boolean)),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A fresh secret for one sandbox run (sandbox values: not worth protecting, but never the same twice). */
function secret(what: string): string {
  return `sandbox-${what}-${randomBytes(9).toString("base64url")}`;
}
