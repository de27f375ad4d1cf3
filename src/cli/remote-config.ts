import type { RemoteConfigFetcher } from "../config/load.js";

/** CONFIG_FILE given as a URL: fetched over the file-transfer module or HTTPS. */
export const fetchRemoteConfig: RemoteConfigFetcher = (url) =>
  Promise.reject(new Error(`${url.protocol} configuration URLs are not supported yet; give a path`));
