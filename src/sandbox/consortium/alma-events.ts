import { createHmac, randomInt } from "node:crypto";

/** An Alma webhook event, as a webhook profile sends it (reference §1, "Webhooks"). */
export type AlmaWebhookEvent = Record<string, unknown> & { id: string; action: string };

/** Alma's event ids are long decimal numbers. */
export function eventId(): string {
  return `${Date.now()}${String(randomInt(1_000_000)).padStart(6, "0")}`;
}

/** `X-Exl-Signature`: Base64(HMAC-SHA256(body, secret)), as Alma signs its webhook events. */
export function signEvent(body: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

/** Delivers an event to a webhook listener the way Alma does: a signed JSON POST; returns the HTTP status. */
export async function deliverWebhook(url: string, event: AlmaWebhookEvent, secret: string): Promise<number> {
  const body = JSON.stringify(event);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-exl-signature": signEvent(body, secret) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** The JOB_END event a member's Alma sends when one of its jobs (publishing, request export) has ended. */
export function jobEndEvent(
  institution: string,
  jobId: string,
  status = "COMPLETED_SUCCESS",
): AlmaWebhookEvent {
  return {
    id: eventId(),
    action: "JOB_END",
    institution: { value: institution },
    time: new Date().toISOString(),
    job_instance: {
      id: String(Date.now()),
      job_info: { id: jobId },
      status: { value: status },
    },
  };
}
