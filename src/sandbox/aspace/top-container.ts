/**
 * A top_container record as ArchivesSpace stores it and returns it (JSON string in a search result's `json`),
 * with its locations resolved. The simulator's own description of the wire format, independent of the client.
 */
export interface TopContainerRecord {
  uri?: string;
  indicator?: string;
  type?: string;
  barcode?: string;
  container_locations?: {
    ref?: string;
    status?: string;
    _resolved?: { classification?: string; title?: string; building?: string };
  }[];
}
