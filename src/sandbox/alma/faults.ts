import { z } from "zod";
import { seededRandom } from "./prng.js";

const selector = {
  /** Shown in the call log instead of the generated label. */
  name: z.string().optional(),
  /** HTTP method; any when absent. */
  method: z.string().optional(),
  /** Regular expression tested against the path (`/almaws/v1/…`); any when absent. */
  path: z.union([z.string(), z.instanceof(RegExp)]).optional(),
  /** Institution code; any when absent. */
  institution: z.string().optional(),
  /** Share of matching calls affected, 0–1 (drawn from the seeded generator); all when absent. */
  rate: z.number().min(0).max(1).optional(),
  /** Affect only the Nth matching call(s), counting from 1 ("fail the 3rd POST"). */
  nth: z.union([z.number().int().positive(), z.array(z.number().int().positive())]).optional(),
  /** Stop after this many applications. */
  times: z.number().int().positive().optional(),
};

/**
 * `before`: the answer is lost before Alma acted (nothing changed). `after`: Alma acted, then the answer was
 * lost — the case that makes blind replays of writes dangerous.
 */
const phase = z.enum(["before", "after"]).optional();

export const faultRuleSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("latency"),
      ...selector,
      ms: z.number().nonnegative().optional(),
      minMs: z.number().nonnegative().optional(),
      maxMs: z.number().nonnegative().optional(),
    }),
    z.object({
      kind: z.literal("error"),
      ...selector,
      status: z.union([z.literal(500), z.literal(503)]).optional(),
      phase,
    }),
    z.object({ kind: z.literal("reset"), ...selector, phase }),
    /** The call is carried out, then answered only after `ms` (clients time out first). */
    z.object({ kind: z.literal("timeout"), ...selector, ms: z.number().nonnegative() }),
  ])
  .superRefine((rule, context) => {
    if (rule.kind !== "latency") return;
    const range = rule.minMs !== undefined && rule.maxMs !== undefined;
    if (rule.ms === undefined && !range) {
      context.addIssue({ code: "custom", message: "latency needs ms, or minMs and maxMs" });
    } else if (range && (rule.minMs ?? 0) > (rule.maxMs ?? 0)) {
      context.addIssue({ code: "custom", message: "latency minMs must not exceed maxMs" });
    }
  });

export type FaultRule = z.input<typeof faultRuleSchema>;

export const faultSetSchema = z.object({
  faults: z.array(faultRuleSchema),
  seed: z.number().int().optional(),
});

export type FaultAction =
  | { kind: "error"; status: 500 | 503; phase: "before" | "after" }
  | { kind: "reset"; phase: "before" | "after" }
  | { kind: "timeout"; ms: number };

export interface FaultDecision {
  latencyMs: number;
  action?: FaultAction;
  /** What was applied, for the call log (`latency:120ms,error:503`). */
  label?: string;
}

interface ActiveRule {
  rule: FaultRule;
  path?: RegExp;
  random: () => number;
  matched: number;
  applied: number;
}

function toRegExp(path: string | RegExp | undefined): RegExp | undefined {
  if (path === undefined) return undefined;
  return typeof path === "string" ? new RegExp(path) : path;
}

/** Decides, per call, which injected faults apply. Deterministic for a given seed and call order. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  /** Replaces the faults; each rule gets its own generator derived from `seed`. */
  set(rules: FaultRule[], seed: number = Math.floor(Math.random() * 2 ** 31)): void {
    const parsed = rules.map((rule) => faultRuleSchema.parse(rule));
    this.rules = parsed.map((rule, index) => ({
      rule,
      path: toRegExp(rule.path),
      random: seededRandom(seed + index * 0x9e3779b9),
      matched: 0,
      applied: 0,
    }));
  }

  clear(): void {
    this.rules = [];
  }

  get active(): FaultRule[] {
    return this.rules.map((entry) => entry.rule);
  }

  decide(method: string, path: string, institution: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    const labels: string[] = [];
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.institution && rule.institution !== institution) continue;
      if (entry.path && !entry.path.test(path)) continue;
      entry.matched += 1;
      if (!this.triggers(entry)) continue;
      if (rule.kind === "latency") {
        const ms =
          rule.ms ?? Math.round((rule.minMs ?? 0) + entry.random() * ((rule.maxMs ?? 0) - (rule.minMs ?? 0)));
        decision.latencyMs += ms;
        entry.applied += 1;
        labels.push(rule.name ?? `latency:${ms}ms`);
        continue;
      }
      if (decision.action) continue;
      entry.applied += 1;
      if (rule.kind === "error") {
        const status = rule.status ?? 500;
        decision.action = { kind: "error", status, phase: rule.phase ?? "before" };
        labels.push(rule.name ?? `error:${status}${rule.phase === "after" ? ":after" : ""}`);
      } else if (rule.kind === "reset") {
        decision.action = { kind: "reset", phase: rule.phase ?? "before" };
        labels.push(rule.name ?? `reset${rule.phase === "after" ? ":after" : ""}`);
      } else {
        decision.action = { kind: "timeout", ms: rule.ms };
        labels.push(rule.name ?? `timeout:${rule.ms}ms`);
      }
    }
    if (labels.length > 0) decision.label = labels.join(",");
    return decision;
  }

  private triggers(entry: ActiveRule): boolean {
    const { rule } = entry;
    if (rule.times !== undefined && entry.applied >= rule.times) return false;
    if (rule.nth !== undefined) {
      const wanted = Array.isArray(rule.nth) ? rule.nth : [rule.nth];
      return wanted.includes(entry.matched);
    }
    return rule.rate === undefined ? true : entry.random() < rule.rate;
  }
}
