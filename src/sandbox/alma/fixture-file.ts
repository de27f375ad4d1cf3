import { readFile } from "node:fs/promises";
import { z } from "zod";
import { buildState, FixtureError, type AlmaFixture } from "./fixture.js";

const valueDesc = z.looseObject({ value: z.string(), desc: z.string().optional() });

const bib = z.looseObject({
  mms_id: z.string().min(1),
  title: z.string(),
  author: z.string().optional(),
  network_number: z.array(z.string()).optional(),
  record: z.string().optional(),
  suppress_from_publishing: z.boolean().optional(),
  created_date: z.string().optional(),
});

const user = z.looseObject({ primary_id: z.string().min(1) });

const institution = z.object({
  code: z.string().min(1),
  apikey: z.string().min(1),
  id_suffix: z
    .string()
    .regex(/^\d{4}$/, "4 digits")
    .optional(),
  daily_budget: z.number().int().nonnegative().optional(),
  permissions: z.record(z.string(), z.enum(["read", "read-write", "none"])).optional(),
  libraries: z
    .array(
      z.object({
        code: z.string().min(1),
        name: z.string(),
        locations: z
          .array(z.object({ code: z.string().min(1), name: z.string(), type: z.string().optional() }))
          .optional(),
        circ_desks: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  users: z.array(user).optional(),
  bibs: z.array(bib).optional(),
  holdings: z
    .array(
      z.object({
        holding_id: z.string().min(1),
        mms_id: z.string().min(1),
        library: z.string().min(1),
        location: z.string().min(1),
        call_number: z.string().optional(),
        suppress_from_publishing: z.boolean().optional(),
      }),
    )
    .optional(),
  items: z
    .array(
      z.object({
        pid: z.string().min(1),
        mms_id: z.string().min(1),
        holding_id: z.string().min(1),
        item_data: z.looseObject({
          barcode: z.string(),
          provenance: valueDesc.optional(),
          process_type: valueDesc.optional(),
        }),
        holding_data: z.record(z.string(), z.unknown()).optional(),
        extra: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  requests: z
    .array(
      z.object({
        request_id: z.string().min(1),
        user_primary_id: z.string().min(1),
        request_type: z.string().min(1),
        request_status: z
          .enum(["NOT_STARTED", "IN_PROCESS", "ON_HOLD_SHELF", "COMPLETED", "CANCELLED"])
          .optional(),
        mms_id: z.string().min(1),
        item_id: z.string().optional(),
        holding_id: z.string().optional(),
        comment: z.string().optional(),
        request_date: z.string().optional(),
        fields: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  loans: z
    .array(
      z.object({
        loan_id: z.string().min(1),
        user_id: z.string().min(1),
        item_id: z.string().min(1),
        mms_id: z.string().min(1),
        holding_id: z.string().min(1),
        library: z.string().min(1),
        circ_desk: z.string().min(1),
        loan_status: z.enum(["ACTIVE", "COMPLETE"]).optional(),
        loan_date: z.string().optional(),
        due_date: z.string().optional(),
      }),
    )
    .optional(),
  sets: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string(),
        content: z.string(),
        members: z.array(z.object({ id: z.string().min(1), description: z.string().optional() })),
      }),
    )
    .optional(),
  jobs: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string(),
        description: z.string().optional(),
        type: z.string(),
        category: z.string().optional(),
        profile_id: z.string().optional(),
      }),
    )
    .optional(),
  integration_profiles: z
    .array(
      z.object({
        id: z.string().min(1),
        code: z.string(),
        type: z.string(),
        description: z.string().optional(),
      }),
    )
    .optional(),
});

export const fixtureSchema = z.object({
  network_zone: z
    .object({
      code: z.string().min(1),
      id_suffix: z
        .string()
        .regex(/^\d{4}$/, "4 digits")
        .optional(),
      bibs: z.array(bib).optional(),
    })
    .optional(),
  institutions: z.array(institution).min(1),
});

/** Checks fixture JSON (shape, then references between records) and returns it typed. */
export function parseFixture(json: unknown): AlmaFixture {
  const parsed = fixtureSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") ?? "";
    throw new FixtureError(`fixture ${where || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const fixture = parsed.data as AlmaFixture;
  buildState(fixture);
  return fixture;
}

/** Reads and checks a fixture file (JSON). */
export async function readFixtureFile(path: string): Promise<AlmaFixture> {
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`${path}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseFixture(json);
}
