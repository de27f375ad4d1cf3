export * from "./checkpoint.js";
export * from "./checkpoint-file.js";
export * from "./job.js";
export * from "./run-files.js";
export * from "./validate-preconditions.js";
