export * from "./client.js";
export * from "./errors.js";
export * from "./top-containers.js";
export * from "./types.js";
