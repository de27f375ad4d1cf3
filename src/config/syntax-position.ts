/**
 * Where a configuration text stops being valid, and why, told without quoting any of it: the text holds API
 * keys and passwords, and parser messages (V8's, js-yaml's code frame) quote the text around the fault.
 */
export interface SyntaxPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  reason: string;
}

/** `line 4, column 9: unexpected character`. */
export function describePosition(position: SyntaxPosition): string {
  return `line ${position.line}, column ${position.column}: ${position.reason}`;
}

/** The 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

/** Where `JSON.parse(text)` failed, from the error it threw. */
export function jsonSyntaxPosition(text: string, error: unknown): SyntaxPosition {
  const message = error instanceof Error ? error.message : String(error);
  return { ...lineAndColumn(text, jsonErrorOffset(text, message)), reason: jsonReason(message) };
}

/** The position of a js-yaml error (`mark` is 0-based), or `undefined` for any other error. */
export function yamlSyntaxPosition(error: unknown): SyntaxPosition | undefined {
  const { mark, reason } = (error ?? {}) as { mark?: { line?: unknown; column?: unknown }; reason?: unknown };
  if (typeof mark?.line !== "number" || typeof mark.column !== "number") return undefined;
  return {
    line: mark.line + 1,
    column: mark.column + 1,
    reason: withoutQuotedText(typeof reason === "string" ? reason : "") || "not valid YAML",
  };
}

const END_OF_INPUT = /Unexpected end of JSON input/i;
const AT_POSITION = /\bat position (\d+)/i;

function jsonErrorOffset(text: string, message: string): number {
  const at = AT_POSITION.exec(message);
  if (at) return Number(at[1]);
  if (END_OF_INPUT.test(message)) return text.trimEnd().length;
  return firstBadCharacter(text);
}

/**
 * V8 names no position for an unexpected token; the shortest prefix of the text that fails for another reason
 * than ending too early ends with the offending character.
 */
function firstBadCharacter(text: string): number {
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsBeforeItsEnd(text.slice(0, middle))) high = middle;
    else low = middle + 1;
  }
  return Math.max(0, low - 1);
}

function failsBeforeItsEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const at = AT_POSITION.exec(message);
    if (at) return Number(at[1]) < prefix.length;
    return !END_OF_INPUT.test(message);
  }
}

/** V8's own wording, cut before anything it quotes from the text. */
function jsonReason(message: string): string {
  if (/^Unexpected token/i.test(message)) return "unexpected character";
  if (END_OF_INPUT.test(message)) return "unexpected end of the file";
  const reason = withoutQuotedText(message.replace(/\s*(?:in JSON\s+)?at position \d+.*$/is, ""));
  return reason ? reason.charAt(0).toLowerCase() + reason.slice(1) : "not valid JSON";
}

/** Drops everything from the first double quote, tag or `: ` on: where parsers name what they read. */
function withoutQuotedText(reason: string): string {
  return reason.replace(/\s*(?:["<!]|: ).*$/s, "").trim();
}
