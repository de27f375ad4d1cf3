import { AlephItemsClient } from "../../aleph/items-client.js";
import { AspaceClient } from "../../aspace/client.js";
import { AspaceLoginError, AspaceNetworkError } from "../../aspace/errors.js";
import { CaiasoftClient } from "../../caiasoft/client.js";
import { CaiasoftHttpError } from "../../caiasoft/caiasoft-error.js";
import type { AlephConfig, AspaceConfig, CaiasoftConfig } from "../../config/config.js";
import type { Logger } from "../../runtime/logger.js";
import { fail, messageOf, ok, type DoctorCheck } from "./check.js";

/** One call, no retries, a short time-out: doctor answers in seconds, not after a job's patience. */
const ONE_TRY = { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 };
const timeout = (configured: number) => Math.min(configured, 15_000);

/** ArchivesSpace: logs in with `aspace.username`/`password` and lists the repositories. */
export async function aspaceChecks(aspace: AspaceConfig, logger: Logger): Promise<DoctorCheck[]> {
  const subject = "ArchivesSpace";
  const check = `logs in at ${aspace.base_url} as ${aspace.username}`;
  const client = new AspaceClient({
    baseUrl: aspace.base_url,
    username: aspace.username,
    password: aspace.password,
    timeoutMs: timeout(aspace.timeout_ms),
    maxAttempts: 1,
    maxRelogins: 0,
    logger,
  });
  try {
    await client.login();
    const repositories = await client.repositories();
    return [ok(subject, check, `${repositories.length} repositories`)];
  } catch (error) {
    // A refused login is 401/403; a 404 or a page without a session is the wrong URL (often the staff UI's).
    if (error instanceof AspaceLoginError && (error.status === 401 || error.status === 403)) {
      return [fail(subject, check, messageOf(error), "check aspace.username and aspace.password")];
    }
    if (error instanceof AspaceNetworkError) {
      return [
        fail(
          subject,
          check,
          messageOf(error),
          "check aspace.base_url: the backend API (often port 8089), reachable from this server",
        ),
      ];
    }
    return [fail(subject, check, messageOf(error), "check aspace.base_url: it must be the backend API")];
  }
}

/** Aleph: one query of today's window (read only; the checkpoint is not touched). */
export async function alephChecks(aleph: AlephConfig, logger: Logger, now: Date): Promise<DoctorCheck[]> {
  const subject = "Aleph";
  const check = `items endpoint answers at ${aleph.items_url}`;
  const client = new AlephItemsClient({
    itemsUrl: aleph.items_url,
    timeoutMs: timeout(aleph.timeout_ms),
    retry: ONE_TRY,
    logger,
  });
  const today = now.toISOString().slice(0, 10).replace(/-/g, "");
  try {
    const answer = await client.fetchItems({ starttime: today });
    const body = JSON.parse(answer.body) as { endtime?: unknown };
    if (body === null || typeof body !== "object" || body.endtime === undefined) {
      return [
        fail(
          subject,
          check,
          "the answer has no endtime",
          "check aleph.items_url: it must be the items endpoint",
        ),
      ];
    }
    return [ok(subject, check, `endtime ${JSON.stringify(body.endtime)}`)];
  } catch (error) {
    const detail = error instanceof SyntaxError ? "the answer is not JSON" : messageOf(error);
    return [fail(subject, check, detail, "check aleph.items_url and that this server may reach it")];
  }
}

/**
 * CaiaSoft: `POST /incomingitems/v1` with an empty list, which adds nothing but needs a valid `X-API-Key` (the
 * two item endpoints are the only ones alma-rs calls).
 */
export async function caiasoftChecks(caiasoft: CaiasoftConfig, logger: Logger): Promise<DoctorCheck[]> {
  const subject = "CaiaSoft";
  const check = `accepts the API key at ${caiasoft.base_url}`;
  const client = new CaiasoftClient({
    baseUrl: caiasoft.base_url,
    apiKey: caiasoft.api_key,
    timeoutMs: timeout(caiasoft.timeout_ms),
    retry: ONE_TRY,
    logger,
  });
  try {
    const answer = await client.post("incomingitems/v1", JSON.stringify({ incoming: [] }));
    const body = JSON.parse(answer.body) as { success?: unknown; error?: unknown };
    if (body.success !== true) {
      return [
        fail(
          subject,
          check,
          `success: ${JSON.stringify(body.success)} ${JSON.stringify(body.error ?? "")}`.trim(),
          "check caiasoft.api_key",
        ),
      ];
    }
    return [ok(subject, check)];
  } catch (error) {
    if (error instanceof CaiasoftHttpError && (error.status === 401 || error.status === 403)) {
      return [
        fail(subject, check, messageOf(error), "check caiasoft.api_key (CaiaSoft: Settings > API keys)"),
      ];
    }
    const detail = error instanceof SyntaxError ? "the answer is not JSON" : messageOf(error);
    return [fail(subject, check, detail, "check caiasoft.base_url (https://{site}.caiasoft.com/api)")];
  }
}
