import { SaxesParser } from "saxes";

/** One entry of Alma's `errorList`. */
export interface AlmaErrorEntry {
  errorCode: string;
  errorMessage: string;
  trackingId?: string;
}

/** What an Alma error answer says, whichever format it came in. */
export interface AlmaErrorBody {
  /** The body carried `errorsExist`/`errorList` (Alma's way of saying "no such thing" with a 400). */
  hasErrorList: boolean;
  errors: AlmaErrorEntry[];
}

const EMPTY: AlmaErrorBody = { hasErrorList: false, errors: [] };

/**
 * Reads an Alma error body: JSON `{"errorsExist":true,"errorList":{"error":[…]}}`, the same wrapped in
 * `web_service_result`, or the XML `<web_service_result>`. Anything else (an HTML page from a proxy, nothing)
 * gives no entries rather than an exception: the HTTP status still tells what happened.
 */
export function parseErrorBody(body: string): AlmaErrorBody {
  const text = body.trim();
  if (text.startsWith("{")) return parseJsonErrorBody(text);
  if (text.startsWith("<")) return parseXmlErrorBody(text);
  return EMPTY;
}

function parseJsonErrorBody(text: string): AlmaErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return EMPTY;
  }
  if (!isObject(parsed)) return EMPTY;
  const root = isObject(parsed.web_service_result) ? parsed.web_service_result : parsed;
  if (!("errorList" in root) && !("errorsExist" in root)) return EMPTY;
  const list = isObject(root.errorList) ? root.errorList.error : undefined;
  const raw = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const errors = raw.filter(isObject).map((entry): AlmaErrorEntry => ({
    errorCode: scalar(entry.errorCode),
    errorMessage: scalar(entry.errorMessage),
    ...(entry.trackingId !== undefined ? { trackingId: scalar(entry.trackingId) } : {}),
  }));
  return { hasErrorList: true, errors };
}

function parseXmlErrorBody(text: string): AlmaErrorBody {
  const parser = new SaxesParser({ xmlns: false });
  const errors: AlmaErrorEntry[] = [];
  let hasErrorList = false;
  let current: Partial<AlmaErrorEntry> | undefined;
  let field: keyof AlmaErrorEntry | undefined;
  let buffer = "";
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    if (name === "errorList" || name === "errorsExist") hasErrorList = true;
    if (name === "error") current = {};
    if (current && (name === "errorCode" || name === "errorMessage" || name === "trackingId")) {
      field = name;
      buffer = "";
    }
  });
  const collect = (text: string) => {
    if (field) buffer += text;
  };
  parser.on("text", collect);
  parser.on("cdata", collect);
  parser.on("closetag", (tag) => {
    const name = localName(tag.name);
    if (current && field && name === field) {
      current[field] = buffer.trim();
      field = undefined;
    } else if (current && name === "error") {
      errors.push({
        errorCode: current.errorCode ?? "",
        errorMessage: current.errorMessage ?? "",
        ...(current.trackingId !== undefined ? { trackingId: current.trackingId } : {}),
      });
      current = undefined;
    }
  });
  try {
    parser.write(text).close();
  } catch {
    // A broken XML body: keep what was read before the fault.
  }
  return { hasErrorList, errors };
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
