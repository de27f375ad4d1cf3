import type { AlmaClient } from "../../alma/client.js";
import { AlmaNetworkError } from "../../alma/errors.js";
import type { AlmaArea } from "../../alma/test-endpoints.js";
import { fail, messageOf, ok, type DoctorCheck } from "./check.js";

/** The areas the jobs call, and how: members and the SCF alike (reference §3: Bibs, Configuration, Users). */
const AREAS: readonly { area: AlmaArea; name: string; access: "read" | "write" }[] = [
  { area: "bibs", name: "Bibs", access: "read" },
  { area: "bibs", name: "Bibs", access: "write" },
  { area: "users", name: "Users", access: "read" },
  { area: "users", name: "Users", access: "write" },
  { area: "conf", name: "Configuration", access: "read" },
];

/** What the key checks of one institution found, for the checks that follow. */
export interface KeyVerdict {
  checks: DoctorCheck[];
  /** Alma answered and took the key: the institution's other checks can run. */
  usable: boolean;
  /** The key may read Configuration (jobs, libraries). */
  readsConf: boolean;
  /** Why the other checks cannot run, when they cannot. */
  unusable?: string;
}

/**
 * `GET|POST /almaws/v1/{area}/test` for each area the jobs need. A key refused everywhere (401) or an unreachable
 * gateway is one ✘: the area checks would all say the same.
 */
export async function keyChecks(client: AlmaClient, subject: string, keyPath: string): Promise<KeyVerdict> {
  const answers = [];
  for (const { area, name, access } of AREAS) {
    try {
      answers.push({ name, access, answer: await client.test.check(area, access) });
    } catch (error) {
      return {
        checks: [unreachable(subject, error)],
        usable: false,
        readsConf: false,
        unusable: "not checked: Alma did not answer",
      };
    }
  }
  const refused = (status: number) => status === 401;
  if (answers.every(({ answer }) => !answer.ok && refused(answer.status))) {
    const first = answers[0]!.answer;
    return {
      checks: [
        fail(
          subject,
          "API key accepted by Alma",
          first.ok ? "" : `${first.status} ${first.errorCode}: ${first.errorMessage}`,
          `${keyPath} is not a key Alma accepts for ${client.institution}: copy it again from the Developer ` +
            "Network (Manage API keys); it must be a production key of this institution",
        ),
      ],
      usable: false,
      readsConf: false,
      unusable: "not checked: Alma refused the key",
    };
  }
  const checks = answers.map(({ name, access, answer }) => {
    const check = `API key can ${access} ${name}`;
    if (answer.ok) return ok(subject, check);
    return fail(
      subject,
      check,
      `${answer.status} ${answer.errorCode}${answer.errorMessage ? `: ${answer.errorMessage}` : ""}`,
      `in the Developer Network, give this key of ${client.institution} ${access === "read" ? "read" : "read/write"} ` +
        `access to ${name} (${keyPath})`,
    );
  });
  const readsConf = answers.some(({ name, answer }) => name === "Configuration" && answer.ok);
  return { checks, usable: true, readsConf };
}

function unreachable(subject: string, error: unknown): DoctorCheck {
  if (error instanceof AlmaNetworkError) {
    return fail(
      subject,
      "Alma answers at the gateway",
      messageOf(error),
      "check gateway (e.g. https://api-na.hosted.exlibrisgroup.com) and that this server may reach it",
    );
  }
  return fail(subject, "Alma answers at the gateway", messageOf(error), "check gateway and try again");
}
