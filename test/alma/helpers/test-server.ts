import http from "node:http";
import type { AddressInfo } from "node:net";

/** One call the test server received. */
export interface ReceivedCall {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** `performance.now()` at arrival. */
  time: number;
}

/** What the test server does with a call. */
export type Reply =
  | { status: number; body?: string | object; headers?: Record<string, string>; delayMs?: number }
  /** Destroys the connection without an answer (the client sees a reset). */
  | { reset: true }
  /** Never answers (the client's read time-out fires). */
  | { hang: true };

export type ReplyHandler = (call: ReceivedCall, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  url: string;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1 that answers each call as `handler` says and records every call. */
export async function startTestServer(handler: ReplyHandler): Promise<TestServer> {
  const calls: ReceivedCall[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const call: ReceivedCall = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        time: performance.now(),
      };
      calls.push(call);
      void Promise.resolve(handler(call, calls.length - 1)).then(async (reply) => {
        if ("reset" in reply) return request.socket.destroy();
        if ("hang" in reply) return;
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        const json = typeof reply.body !== "string" || body.startsWith("{");
        response.writeHead(reply.status, {
          "content-type": json ? "application/json" : "application/xml",
          ...reply.headers,
        });
        response.end(reply.status === 204 ? undefined : body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens (the client sees a refused connection). */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Alma's JSON error body. */
export function almaErrorJson(errorCode: string, errorMessage: string, trackingId = "E01-TEST"): object {
  return { errorsExist: true, errorList: { error: [{ errorCode, errorMessage, trackingId }] }, result: null };
}
