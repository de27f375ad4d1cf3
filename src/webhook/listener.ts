import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../runtime/logger.js";
import { MalformedEventError, parseWebhookEvent, type WebhookEvent } from "./event.js";
import { BodyTooLargeError, readRawBody } from "./read-body.js";
import { isValidSignature, SIGNATURE_HEADER } from "./signature.js";

/** How long an idle keep-alive connection stays open: above nginx's upstream `keepalive_timeout` (60 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** What the listener checks requests against; read on every request, so a reload takes effect at once. */
export interface ListenerSettings {
  /** The webhook profiles' secret; none only with `insecureNoSignature`. */
  secret?: string;
  insecureNoSignature: boolean;
  bodyLimitBytes: number;
}

export interface ListenerOptions {
  settings: () => ListenerSettings;
  /** Stores a verified event durably; resolves only once it is on disk. */
  accept: (raw: Buffer, event: WebhookEvent) => Promise<{ id: string; result: "accepted" | "duplicate" }>;
  health: () => unknown;
  logger: Logger;
}

/**
 * The HTTP side: `GET /webhook?challenge=` answers the activation challenge, `POST /webhook` verifies and spools
 * an event before answering 200, `GET /health` tells the state of the spool. Nothing else is served, and no
 * request changes anything but the spool.
 */
export function createWebhookListener(options: ListenerOptions): Server {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: Error) => {
      options.logger.error(`webhook listener: ${error.message}`);
      if (!response.headersSent) send(response, 500, { error: "internal error" });
      else response.destroy();
    });
  });
  // Alma gives up after 5 s; a client slower than this is not Alma.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // Longer than nginx keeps an idle upstream connection (keepalive_timeout 60s in deploy/nginx.conf), so nginx
  // never reuses a socket Node has just closed (a 502 for Alma). headersTimeout need not exceed it: since Node 18
  // it runs only while a request's headers arrive, not while a connection idles.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: ListenerOptions,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://listener");
  if (url.pathname === "/webhook") {
    if (request.method === "GET" || request.method === "HEAD") return challenge(url, response);
    if (request.method === "POST") return receive(request, response, options);
    response.setHeader("Allow", "GET, POST");
    return send(response, 405, { error: "method not allowed" });
  }
  if (url.pathname === "/health" && (request.method === "GET" || request.method === "HEAD")) {
    return send(response, 200, options.health());
  }
  send(response, 404, { error: "not found" });
}

function challenge(url: URL, response: ServerResponse): void {
  const value = url.searchParams.get("challenge");
  if (value === null) return send(response, 400, { error: "challenge parameter missing" });
  send(response, 200, { challenge: value });
}

async function receive(
  request: IncomingMessage,
  response: ServerResponse,
  options: ListenerOptions,
): Promise<void> {
  const { logger } = options;
  const settings = options.settings();
  let raw: Buffer;
  try {
    raw = await readRawBody(request, settings.bodyLimitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      logger.warn(`webhook: refused a body over ${settings.bodyLimitBytes} bytes from ${peer(request)}`);
      response.setHeader("Connection", "close");
      return send(response, 413, { error: error.message });
    }
    logger.info(
      `webhook: a request from ${peer(request)} ended before its body did: ${(error as Error).message}`,
    );
    response.destroy();
    return;
  }
  if (settings.secret) {
    const header = request.headers[SIGNATURE_HEADER];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!isValidSignature(raw, signature, settings.secret)) {
      logger.warn(
        `webhook: ${signature ? "wrong" : "missing"} X-Exl-Signature from ${peer(request)}; event refused`,
      );
      return send(response, 401, { error: "invalid signature" });
    }
  } else if (!settings.insecureNoSignature) {
    // The service refuses to start like this; a reload that removed the secret must not open the door.
    logger.error("webhook: no webhook_secret configured; event refused");
    return send(response, 401, { error: "invalid signature" });
  }
  let event: WebhookEvent;
  try {
    event = parseWebhookEvent(raw);
  } catch (error) {
    if (error instanceof MalformedEventError) {
      logger.warn(`webhook: malformed event from ${peer(request)}: ${error.message}`);
      return send(response, 400, { error: "malformed event" });
    }
    throw error;
  }
  let stored: { id: string; result: "accepted" | "duplicate" };
  try {
    stored = await options.accept(raw, event);
  } catch (error) {
    // Not on disk, so not acknowledged: Alma retries a 5xx later.
    logger.error(`webhook: cannot spool an event: ${(error as Error).message}`);
    return send(response, 503, { error: "cannot store the event now" });
  }
  send(response, 200, { status: stored.result, id: stored.id });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

function peer(request: IncomingMessage): string {
  const forwarded = request.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || request.socket.remoteAddress || "?";
}
