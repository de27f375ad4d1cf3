export * from "./account.js";
export * from "./run-demo.js";
export * from "./world.js";
