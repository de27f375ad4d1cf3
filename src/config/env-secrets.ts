/** Replaces every string value written `env:NAME` with the environment variable NAME; returns the problems. */
export function resolveEnvReferences(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path = "",
  problems: string[] = [],
): { value: unknown; problems: string[] } {
  if (typeof value === "string") {
    const match = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
    if (!match) return { value, problems };
    const name = match[1]!;
    const resolved = env[name];
    if (resolved === undefined || resolved === "") {
      problems.push(`${path || "(root)"}: environment variable ${name} is not set`);
      return { value: undefined, problems };
    }
    return { value: resolved, problems };
  }
  if (Array.isArray(value)) {
    return {
      value: value.map((item, index) => resolveEnvReferences(item, env, `${path}[${index}]`, problems).value),
      problems,
    };
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = resolveEnvReferences(child, env, path ? `${path}.${key}` : key, problems).value;
    }
    return { value: out, problems };
  }
  return { value, problems };
}
