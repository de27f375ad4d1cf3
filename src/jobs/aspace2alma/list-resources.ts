import type { AspaceClient } from "../../aspace/client.js";
import { repositoryNumber, resourceRef, type ResourceRef } from "../../aspace/types.js";
import { AbortError } from "../../runtime/errors.js";

/**
 * Step 3: every resource of every repository, in the output's order: repository number, then resource id
 * (numbers, so `/repositories/12` comes after `/repositories/3`). Any failure here is ArchivesSpace failing,
 * and so is an empty list: a user who lost its permissions sees none, and an empty file would look like a good run.
 */
export async function listResources(
  aspace: Pick<AspaceClient, "repositories" | "resourceIds">,
): Promise<ResourceRef[]> {
  const repositories = [...(await aspace.repositories())].sort(
    (a, b) => repositoryNumber(a.uri) - repositoryNumber(b.uri) || a.uri.localeCompare(b.uri),
  );
  const resources: ResourceRef[] = [];
  for (const repository of repositories) {
    const ids = [...new Set(await aspace.resourceIds(repository.uri))].sort((a, b) => a - b);
    for (const id of ids) resources.push(resourceRef(repository.uri, id));
  }
  if (resources.length === 0) {
    throw new AbortError(
      `ArchivesSpace listed no resources in ${repositories.length} repositories, ` +
        "as when the export user has lost its permissions",
    );
  }
  return resources;
}
