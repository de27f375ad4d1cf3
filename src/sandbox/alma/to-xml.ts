import type { JsonObject } from "./types.js";
import { escapeXml } from "./xml.js";

function isValueDesc(value: object): value is { value: unknown; desc?: unknown } {
  const keys = Object.keys(value);
  return keys.includes("value") && keys.every((key) => key === "value" || key === "desc" || key === "link");
}

function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function renderValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) {
    // Alma's JSON `anies` holds raw XML (the MARC record) that sits inline in the XML form.
    if (name === "anies") return value.map((entry) => (typeof entry === "string" ? entry : "")).join("");
    return value.map((entry) => renderValue(name, entry)).join("");
  }
  if (typeof value === "object") {
    if (isValueDesc(value)) {
      const attributes = Object.entries(value)
        .filter(([key]) => key !== "value")
        .map(([key, text]) => ` ${key}="${escapeXml(scalar(text))}"`)
        .join("");
      return `<${name}${attributes}>${escapeXml(scalar(value.value))}</${name}>`;
    }
    return renderElement(name, value as JsonObject);
  }
  return `<${name}>${escapeXml(scalar(value))}</${name}>`;
}

function renderElement(name: string, body: JsonObject): string {
  let attributes = "";
  let inner = "";
  for (const [key, value] of Object.entries(body)) {
    if (
      (key === "link" || key === "total_record_count") &&
      (typeof value === "string" || typeof value === "number")
    ) {
      attributes += ` ${key}="${escapeXml(String(value))}"`;
    } else {
      inner += renderValue(key, value);
    }
  }
  return inner === "" ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

/**
 * The XML form of an answer, following Alma's conventions: lists are repeated elements under a plural root
 * (`<items total_record_count="2"><item>…`), `{value, desc}` pairs become `<x desc="…">value</x>`, and `anies`
 * records are inlined.
 */
export function renderXml(root: string, body: JsonObject): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${renderElement(root, body)}`;
}
