export * from "./job.js";
export * from "./source-request-tag.js";
