/** One CSV row with RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted, quotes doubled. */
export function formatCsvRow(fields: readonly (string | number | null | undefined)[]): string {
  return fields.map(formatCsvField).join(",") + "\r\n";
}

export function formatCsvField(field: string | number | null | undefined): string {
  const text = field === null || field === undefined ? "" : String(field);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a leading BOM) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
