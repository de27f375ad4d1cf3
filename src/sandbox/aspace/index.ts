export * from "./seed.js";
export * from "./simulator.js";
export type { TopContainerRecord } from "./top-container.js";
