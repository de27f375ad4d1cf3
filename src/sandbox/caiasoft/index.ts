export * from "./caiasoft-simulator.js";
