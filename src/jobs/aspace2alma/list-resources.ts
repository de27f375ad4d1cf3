import type { AspaceClient } from "../../aspace/client.js";
import { repositoryNumber, resourceRef, type ResourceRef } from "../../aspace/types.js";

/**
 * Step 3: every resource of every repository, in the output's order: repository number, then resource id
 * (numbers, so `/repositories/12` comes after `/repositories/3`). Any failure here is ArchivesSpace failing.
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
  return resources;
}
