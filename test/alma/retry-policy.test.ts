import { expect } from "chai";
import { judgeAttempt, type AttemptOutcome } from "../../src/alma/retry-policy.js";

const answer = (status: number, errorCode?: string): AttemptOutcome => ({
  kind: "answer",
  status,
  errors: errorCode ? [{ errorCode, errorMessage: "" }] : [],
});
const network = (code: string, event?: string): AttemptOutcome => ({
  kind: "network",
  code,
  ...(event ? { event } : {}),
});

describe("retry rules", () => {
  const cases: [string, AttemptOutcome, string, string][] = [
    ["200", answer(200), "done", "done"],
    ["204", answer(204), "done", "done"],
    ["500 GENERAL_ERROR", answer(500, "GENERAL_ERROR"), "retry", "uncertain"],
    ["503 without a body", answer(503), "retry", "uncertain"],
    ["ROUTING_ERROR", answer(503, "ROUTING_ERROR"), "retry", "uncertain"],
    ["400 ROUTING_ERROR", answer(400, "ROUTING_ERROR"), "retry", "uncertain"],
    ["429 PER_SECOND_THRESHOLD", answer(429, "PER_SECOND_THRESHOLD"), "retry", "retry"],
    ["429 without a code", answer(429), "retry", "retry"],
    ["429 DAILY_THRESHOLD", answer(429, "DAILY_THRESHOLD"), "daily-limit", "daily-limit"],
    ["400 not found", answer(400, "401689"), "fail", "fail"],
    ["401 UNAUTHORIZED", answer(401, "UNAUTHORIZED"), "fail", "fail"],
    ["403 FORBIDDEN", answer(403, "FORBIDDEN"), "fail", "fail"],
    ["404", answer(404), "fail", "fail"],
    ["ECONNREFUSED", network("ECONNREFUSED"), "retry", "retry"],
    ["ENOTFOUND", network("ENOTFOUND"), "retry", "retry"],
    ["connect time-out", network("ETIMEDOUT", "connect"), "retry", "retry"],
    ["read time-out", network("ETIMEDOUT", "socket"), "retry", "uncertain"],
    ["ECONNRESET", network("ECONNRESET"), "retry", "uncertain"],
    ["EPIPE", network("EPIPE"), "retry", "uncertain"],
    ["an unknown failure", network("ERR_SOMETHING"), "fail", "fail"],
  ];
  for (const [name, outcome, read, write] of cases) {
    it(`${name}: a read → ${read}, a write → ${write}`, () => {
      expect(judgeAttempt(outcome, false).action).to.equal(read);
      expect(judgeAttempt(outcome, true).action).to.equal(write);
    });
  }
});
