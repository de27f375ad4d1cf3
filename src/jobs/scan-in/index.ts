export * from "./home-item.js";
export * from "./job.js";
export * from "./record-error.js";
export * from "./scf-barcode.js";
