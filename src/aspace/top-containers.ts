import { AspaceResponseError, type AspaceErrorContext } from "./errors.js";
import type { AspaceTopContainer } from "./types.js";

/** One answer of the top-container search: Solr's `response` with each record in a `json` string. */
export interface TopContainerPage {
  numFound: number;
  start: number;
  containers: AspaceTopContainer[];
}

interface SolrAnswer {
  response?: { numFound?: unknown; start?: unknown; docs?: unknown };
}

/** Reads one top-container search answer; anything that is not Solr's shape is an AspaceResponseError. */
export function parseTopContainerPage(body: string, request: AspaceErrorContext): TopContainerPage {
  const fail = (what: string) =>
    new AspaceResponseError(`ArchivesSpace top-container search: ${what}`, {
      ...request,
      body: body.length > 300 ? `${body.slice(0, 300)}…` : body,
    });
  let answer: SolrAnswer;
  try {
    answer = JSON.parse(body) as SolrAnswer;
  } catch {
    throw fail("the answer is not JSON");
  }
  const docs = answer.response?.docs;
  if (!Array.isArray(docs)) throw fail("no response.docs in the answer");
  const containers = docs.map((doc: unknown, index) => {
    const json = (doc as { json?: unknown } | null)?.json;
    if (typeof json !== "string") throw fail(`response.docs[${index}] has no json string`);
    try {
      return JSON.parse(json) as AspaceTopContainer;
    } catch {
      throw fail(`response.docs[${index}].json is not JSON`);
    }
  });
  const numFound = answer.response?.numFound;
  const start = answer.response?.start;
  return {
    numFound: typeof numFound === "number" ? numFound : containers.length,
    start: typeof start === "number" ? start : 0,
    containers,
  };
}
