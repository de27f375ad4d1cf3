/** A repository as `GET /repositories` lists it (only the fields the jobs use). */
export interface AspaceRepository {
  uri: string;
  repo_code?: string;
  name?: string;
}

/** One location of a top container, with the location record resolved by the search. */
export interface AspaceContainerLocation {
  ref?: string;
  status?: string;
  _resolved?: {
    /** The location code, e.g. `scarcpph`. */
    classification?: string;
    title?: string;
    building?: string;
  };
}

/** A top container record, as held in the `json` string of a top-container search result. */
export interface AspaceTopContainer {
  uri?: string;
  /** The box number as written: `2`, `10`, `B-12`. */
  indicator?: string;
  /** `box`, `volume`, … */
  type?: string;
  barcode?: string;
  container_locations?: AspaceContainerLocation[];
}

/** `/repositories/3/resources/17` → `{ repositoryUri: "/repositories/3", id: 17 }`. */
export interface ResourceRef {
  repositoryUri: string;
  id: number;
  uri: string;
}

export function resourceRef(repositoryUri: string, id: number): ResourceRef {
  return { repositoryUri, id, uri: `${repositoryUri}/resources/${id}` };
}

/** The repository number of a repository URI (`/repositories/3` → 3), or NaN. */
export function repositoryNumber(repositoryUri: string): number {
  const match = /\/repositories\/(\d+)$/.exec(repositoryUri);
  return match ? Number(match[1]) : Number.NaN;
}
