export * from "./config.js";
export * from "./config-error.js";
export * from "./load.js";
export * from "./validate.js";
export * from "./secret-keys.js";
