export * from "./seed.js";
export * from "./simulator.js";
