import type { IncomingMessage } from "node:http";

/** Alma answers XML unless JSON is asked for (`Accept: application/json` or `format=json`). */
export function wantsXml(accept: string | undefined, format: string | null): boolean {
  if (format === "json") return false;
  if (format === "xml") return true;
  return !(accept ?? "").toLowerCase().includes("json");
}

export function apiKeyOf(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const match = /^\s*apikey\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] ?? query.get("apikey") ?? undefined;
}

/** The body went over the simulator's limit. */
export class BodyTooLarge extends Error {}

export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () =>
      tooLarge ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    request.on("error", reject);
  });
}
