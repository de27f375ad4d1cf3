export * from "./aleph-error.js";
export * from "./items-client.js";
export * from "./items-page.js";
export * from "./items-query.js";
