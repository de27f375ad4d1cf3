import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sha256Fingerprint } from "../../transfer/fingerprint.js";

export interface SelfSignedCertificate {
  key: string;
  cert: string;
  /** `SHA256:…` of the certificate (DER), for `host_key_sha256` with FTPS. */
  sha256: string;
}

/**
 * A throw-away self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` command (Node
 * cannot issue certificates). For FTPS test servers only.
 */
export async function selfSignedCertificate(commonName = "127.0.0.1"): Promise<SelfSignedCertificate> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "alma-rs-cert-"));
  try {
    const keyFile = path.join(folder, "key.pem");
    const certFile = path.join(folder, "cert.pem");
    await promisify(execFile)(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "2",
        "-subj",
        `/CN=${commonName}`,
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
      ],
      { timeout: 20_000 },
    );
    const [key, cert] = await Promise.all([readFile(keyFile, "utf8"), readFile(certFile, "utf8")]);
    return { key, cert, sha256: sha256Fingerprint(new X509Certificate(cert).raw) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
