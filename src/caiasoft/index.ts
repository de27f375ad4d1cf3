export * from "./caiasoft-error.js";
export * from "./client.js";
export * from "./item-bodies.js";
export * from "./outcomes.js";
