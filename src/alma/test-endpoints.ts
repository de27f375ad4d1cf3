import { almaPath } from "./alma-path.js";
import { AlmaError } from "./errors.js";
import type { AlmaTransport } from "./transport.js";

/** The API areas a key can be granted (`/almaws/v1/{area}/test`). */
export type AlmaArea =
  | "bibs"
  | "users"
  | "conf"
  | "acq"
  | "analytics"
  | "courses"
  | "electronic"
  | "partners"
  | "tasklists"
  | "items";

/** What a key may do in one area. */
export type AccessCheck =
  | { area: string; access: "read" | "write"; ok: true }
  | {
      area: string;
      access: "read" | "write";
      ok: false;
      status: number;
      errorCode: string;
      errorMessage: string;
    };

/** The key checks: `GET {area}/test` answers 200 when the key may read the area, `POST` when it may write. */
export class TestEndpointsApi {
  constructor(private readonly transport: AlmaTransport) {}

  /** Whether the key may read (or write) `area`; a refusal is an answer, network trouble is thrown. */
  async check(area: AlmaArea, access: "read" | "write" = "read"): Promise<AccessCheck> {
    try {
      await this.transport.call({
        method: access === "read" ? "GET" : "POST",
        path: almaPath`${area}/test`,
        // The test POST writes nothing, so repeating it is harmless.
        replaySafe: true,
      });
      return { area, access, ok: true };
    } catch (error) {
      if (!(error instanceof AlmaError) || error.status >= 500) throw error;
      return {
        area,
        access,
        ok: false,
        status: error.status,
        errorCode: error.errorCode,
        errorMessage: error.errorMessage,
      };
    }
  }
}
