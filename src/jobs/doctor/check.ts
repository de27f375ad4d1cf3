/** One thing doctor looked at. */
export interface DoctorCheck {
  /** What was looked at: `Alma 01AAA_AB`, `SCF 01AAA_RS`, `file server`, `ArchivesSpace`. */
  subject: string;
  /** The check, as a statement that holds when it passes: `API key can read Bibs`. */
  check: string;
  /** `skip`: not checked, because something it needs failed first (or it is not configured). */
  status: "ok" | "fail" | "skip";
  /** What was found. */
  detail?: string;
  /** What to do about a failure, in Alma's or the server's own words. */
  fix?: string;
}

export const ok = (subject: string, check: string, detail?: string): DoctorCheck => ({
  subject,
  check,
  status: "ok",
  ...(detail ? { detail } : {}),
});

export const fail = (subject: string, check: string, detail: string, fix: string): DoctorCheck => ({
  subject,
  check,
  status: "fail",
  detail,
  fix,
});

export const skip = (subject: string, check: string, detail: string): DoctorCheck => ({
  subject,
  check,
  status: "skip",
  detail,
});

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
