import { request } from "node:http";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../src/config/config.js";
import { validateConfig } from "../../src/config/validate.js";
import { RunReport, type RunSummary } from "../../src/runtime/run-report.js";
import type { RunContext } from "../../src/runtime/run-context.js";
import { computeSignature } from "../../src/webhook/signature.js";

export const SECRET = "test-webhook-secret-0123";

/** A validated configuration for a listener under `dir`, with one member institution and the SCF. */
export function webhookConfig(dir: string, overrides: Record<string, unknown> = {}): Config {
  const raw = {
    gateway: "http://127.0.0.1:1",
    remote_storage_inst: "01AAA_RS",
    remote_storage_apikey: "scf-key-123456",
    webhook_secret: SECRET,
    state_dir: "state",
    max_number_of_threads: 4,
    institutions: [
      {
        code: "01AAA_AB",
        apikey: "ab-key-123456",
        publishing_job_id: "S987654321",
        requests_job_id: "S123456789",
        libraries: [{ code: "ABRS", circ_desc: "DEFAULT_CIRC_DESK", remote_storage_location: ["rs"] }],
      },
    ],
    webhook: { host: "127.0.0.1", max_attempts: 3, retry_delay_ms: 0 },
    ...overrides,
  };
  return validateConfig(raw, { source: "test", baseDir: dir, env: {} }).config;
}

export interface HttpAnswer {
  status: number;
  body: string;
  json: () => unknown;
}

/** One HTTP call with exact bytes (no re-encoding of the body). */
export function call(
  url: string,
  options: {
    method?: string;
    body?: Uint8Array | string;
    headers?: Record<string, string>;
    /** Send the body in chunks without Content-Length. */
    chunked?: boolean;
  } = {},
): Promise<HttpAnswer> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (body ? "POST" : "GET"),
        headers: {
          ...(body ? { "Content-Type": "application/json" } : {}),
          ...(body && !options.chunked ? { "Content-Length": String(body.length) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) as unknown });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body && options.chunked) {
      for (let at = 0; at < body.length; at += 64) req.write(body.subarray(at, at + 64));
      req.end();
    } else req.end(body);
  });
}

/** POSTs an event signed with `secret` (the default test secret). */
export function postSigned(url: string, body: Uint8Array | string, secret = SECRET): Promise<HttpAnswer> {
  const bytes = Buffer.from(body);
  return call(url, { body: bytes, headers: { "X-Exl-Signature": computeSignature(bytes, secret) } });
}

/** Every file under the spool's folders, as `folder/name`. */
export async function spoolFiles(spoolDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of ["incoming", "processing", "done", "failed", "attempts"]) {
    const names = await readdir(path.join(spoolDir, folder)).catch(() => [] as string[]);
    out.push(...names.map((name) => `${folder}/${name}`));
  }
  return out.sort();
}

/** A finished summary for test handlers: `failures` and `aborted` as asked. */
export async function summaryFor(
  context: RunContext,
  job: string,
  options: { fail?: string; abort?: string } = {},
): Promise<RunSummary> {
  const report = new RunReport({
    job,
    reportName: "WebhookTest",
    reportFolder: context.config.report_file_folder,
    logger: context.logger,
  });
  report.count("processed");
  if (options.fail) report.fail({ message: options.fail });
  if (options.abort) report.abort(options.abort);
  return report.finish();
}

export function loanReturned(id: string, barcode: string, institution = "01AAA_RS"): string {
  return JSON.stringify({
    id,
    action: "LOAN",
    institution: { value: institution },
    event: { value: "LOAN_RETURNED", desc: "Loan returned" },
    item_loan: { loan_id: "18263808770001221", item_barcode: barcode, user_id: "01AAA_AB-ABRS" },
  });
}

export function requestCanceled(
  id: string,
  userRequest: { barcode?: string | null; comment?: string | null; request_id?: string },
  institution = "01AAA_RS",
): string {
  return JSON.stringify({
    id,
    action: "REQUEST",
    institution: { value: institution },
    event: { value: "REQUEST_CANCELED" },
    user_request: {
      request_id: "83013520000121",
      request_type: "HOLD",
      barcode: null,
      comment: null,
      ...userRequest,
    },
  });
}

export function jobEnd(
  id: string,
  jobId: string,
  status = "COMPLETED_SUCCESS",
  institution = "01AAA_AB",
): string {
  return JSON.stringify({
    id,
    action: "JOB_END",
    institution: { value: institution },
    job_instance: { id: "6123", job_info: { id: jobId, name: "Publish items" }, status: { value: status } },
  });
}

/** Polls until `condition` holds (no time limit of its own: mocha's timeout ends a test that waits forever). */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}
