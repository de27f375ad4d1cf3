import type { z } from "zod";

/** `institutions[1].apikey` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}

/** One line per problem: `institutions[0].apikey: required`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) return `${where}: required`;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`).join("\n");
  }
  return `${where}: ${issue.message}`;
}
