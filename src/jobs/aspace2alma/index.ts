export * from "./job.js";
export * from "./sources.js";
