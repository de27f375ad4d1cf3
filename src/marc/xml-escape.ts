/**
 * Escaping for MARC-XML output. Besides the markup characters, two things would silently change a value on the
 * way back in: a CR (XML parsers turn CR and CRLF into LF) and, in attributes, tab/LF/CR (normalised to spaces),
 * so those are written as character references. Characters XML 1.0 cannot carry at all are never written:
 * control characters (other than tab, LF, CR) and U+FFFE/U+FFFF are dropped, since they hold no text; a lone
 * surrogate half, which is what is left of a broken character, becomes U+FFFD.
 */

/* eslint-disable no-control-regex -- matching the control characters XML 1.0 forbids is the point */
// Everything text escaping must touch: markup, CR, invalid controls, surrogates (paired or not), U+FFFE/F.
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const TEXT_SPECIAL_ALL =
  /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;
const ATTR_SPECIAL = /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ATTR_SPECIAL_ALL =
  /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

/* eslint-enable no-control-regex */

const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

function replace(match: string): string {
  if (match.length === 2) return match; // a well-formed surrogate pair
  const known = REPLACEMENTS[match];
  if (known !== undefined) return known;
  const code = match.charCodeAt(0);
  return code >= 0xd800 && code <= 0xdfff ? "\uFFFD" : "";
}

/** Escapes element text: `& < >`, CR as `&#13;`, invalid XML characters dropped or replaced. */
export function escapeText(value: string): string {
  return TEXT_SPECIAL.test(value) ? value.replace(TEXT_SPECIAL_ALL, replace) : value;
}

/** Escapes a double-quoted attribute value: also `" '` and tab/LF/CR as character references. */
export function escapeAttribute(value: string): string {
  return ATTR_SPECIAL.test(value) ? value.replace(ATTR_SPECIAL_ALL, replace) : value;
}
