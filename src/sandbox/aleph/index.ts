export * from "./aleph-simulator.js";
