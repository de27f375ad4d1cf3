export * from "./check.js";
export * from "./format.js";
export * from "./job.js";
