import type { RequestJson } from "./alma-port.js";

/** Fields of the source request a title-level hold carries over (seed 001 §7.5). */
const TITLE_HOLD_FIELDS = ["volume", "issue", "part", "date_of_publication"] as const;

/** Fields of the source request a digitization request carries over (seed 001 §7.6). */
const DIGITIZATION_FIELDS = [
  "copyrights_declaration_signed_by_patron",
  "description",
  "partial_digitization",
  "required_pages_range",
  "full_chapter",
  "chapter_or_article_title",
  "chapter_or_article_author",
  "manual_description",
  "last_interest_date",
  "volume",
  "issue",
  "part",
  "date_of_publication",
] as const;

/** The physical request the SCF fulfils for the member library's system user. */
export function holdBody(userPrimaryId: string, comment: string): RequestJson {
  return {
    request_type: "HOLD",
    request_sub_type: { value: "PATRON_PHYSICAL" },
    pickup_location_type: "USER_HOME_ADDRESS",
    task_name: "Pickup From Shelf",
    user_primary_id: userPrimaryId,
    comment,
  };
}

export interface TitleHoldInput {
  userPrimaryId: string;
  comment: string;
  /** The export's description, else the source request's. */
  description: string | undefined;
  manualDescription: string | undefined;
  /** The SCF holding the manual description points at, when one was found. */
  holdingId: string | undefined;
  sourceRequest: RequestJson;
}

/** A title-level hold: the hold, plus what narrows it to a volume (seed 001 §7.5). */
export function titleHoldBody(input: TitleHoldInput): RequestJson {
  return {
    ...holdBody(input.userPrimaryId, input.comment),
    ...present({ description: input.description, manual_description: input.manualDescription }),
    ...(input.holdingId ? { holding_id: input.holdingId } : {}),
    ...copied(input.sourceRequest, TITLE_HOLD_FIELDS),
  };
}

export interface DigitizationInput {
  userPrimaryId: string;
  comment: string;
  /** `remote_storage_digitization_department`. */
  department: string;
  sourceRequest: RequestJson;
  /** The export's description, used when the source request has none. */
  description: string | undefined;
}

/** A digitization request at the SCF's digitization department, with what the patron asked for (seed 001 §7.6). */
export function digitizationBody(input: DigitizationInput): RequestJson {
  return {
    request_type: "DIGITIZATION",
    request_sub_type: { value: "PHYSICAL_TO_DIGITIZATION" },
    target_destination: { value: input.department },
    user_primary_id: input.userPrimaryId,
    ...present({ description: input.description }),
    ...copied(input.sourceRequest, DIGITIZATION_FIELDS),
    comment: input.comment,
  };
}

/** The fields `source` has a value for: a field absent or null is left out, never a failure. */
function copied(source: RequestJson, fields: readonly string[]): RequestJson {
  const out: RequestJson = {};
  for (const field of fields) {
    const value = source[field];
    if (value !== undefined && value !== null && value !== "") out[field] = value;
  }
  return out;
}

function present(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== "")) as Record<
    string,
    string
  >;
}
