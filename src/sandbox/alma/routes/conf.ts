import { notFound } from "../alma-error.js";
import { ok, type SimRequest, type SimResponse } from "../context.js";
import { ErrorCodes } from "../error-codes.js";
import { findLibrary } from "../lookup.js";
import { listBody } from "../paging.js";
import { renderLibrary } from "../render.js";
import type { Route } from "../router.js";
import type { JobRecord, JsonObject, SetRecord } from "../types.js";

function listLibraries(request: SimRequest): SimResponse {
  const libraries = request.institution.libraries.map((library) => renderLibrary(library, request.apiBase));
  return ok(
    libraries.length === 0
      ? { total_record_count: 0 }
      : { library: libraries, total_record_count: libraries.length },
    "libraries",
  );
}

function getLibrary(request: SimRequest): SimResponse {
  return ok(
    renderLibrary(findLibrary(request.institution, request.params.library ?? ""), request.apiBase),
    "library",
  );
}

function listLocations(request: SimRequest): SimResponse {
  const library = findLibrary(request.institution, request.params.library ?? "");
  const locations = library.locations.map((location) => ({
    code: location.code,
    name: location.name,
    type: { value: location.type ?? "OPEN" },
    link: `${request.apiBase}/conf/libraries/${library.code}/locations/${location.code}`,
  }));
  return ok(
    locations.length === 0
      ? { total_record_count: 0 }
      : { location: locations, total_record_count: locations.length },
    "locations",
  );
}

function listCircDesks(request: SimRequest): SimResponse {
  const library = findLibrary(request.institution, request.params.library ?? "");
  const desks = library.circ_desks.map((code) => ({ code, name: code }));
  return ok(listBody("circ_desk", desks, request.query), "circ_desks");
}

function renderSet(set: SetRecord, apiBase: string): JsonObject {
  return {
    id: set.id,
    name: set.name,
    type: { value: "ITEMIZED" },
    content: { value: set.content },
    number_of_members: { value: set.members.length, link: `${apiBase}/conf/sets/${set.id}/members` },
    link: `${apiBase}/conf/sets/${set.id}`,
  };
}

function findSet(request: SimRequest): SetRecord {
  const id = request.params.set_id ?? "";
  const set = request.institution.sets.find((candidate) => candidate.id === id);
  if (!set) throw notFound(ErrorCodes.setNotFound, `Set ${id} was not found.`);
  return set;
}

function listSets(request: SimRequest): SimResponse {
  const sets = request.institution.sets.map((set) => renderSet(set, request.apiBase));
  return ok(listBody("set", sets, request.query), "sets");
}

function getSet(request: SimRequest): SimResponse {
  return ok(renderSet(findSet(request), request.apiBase), "set");
}

/** `GET /conf/sets/{id}/members?limit=…&offset=…` (at most 100 per page). */
function listSetMembers(request: SimRequest): SimResponse {
  const { institution, apiBase } = request;
  const set = findSet(request);
  const members = set.members.map((member) => {
    const item =
      set.content === "ITEM" ? institution.items.find((candidate) => candidate.pid === member.id) : undefined;
    const link = item
      ? `${apiBase}/bibs/${item.mms_id}/holdings/${item.holding_id}/items/${item.pid}`
      : set.content === "BIB_MMS"
        ? `${apiBase}/bibs/${member.id}`
        : `${apiBase}/conf/sets/${set.id}/members/${member.id}`;
    return { id: member.id, description: member.description ?? "", link };
  });
  return ok(listBody("member", members, request.query), "members");
}

function renderJob(job: JobRecord, apiBase: string): JsonObject {
  return {
    id: job.id,
    name: job.name,
    ...(job.description ? { description: job.description } : {}),
    type: { value: job.type },
    ...(job.category ? { category: { value: job.category } } : {}),
    ...(job.profile_id ? { additional_info: { value: job.profile_id, link: "" } } : {}),
    link: `${apiBase}/conf/jobs/${job.id}`,
  };
}

/** `GET /conf/jobs?profile_id=…&type=…&category=…`. */
function listJobs(request: SimRequest): SimResponse {
  const { query } = request;
  const profileId = query.get("profile_id");
  const type = query.get("type");
  const category = query.get("category");
  const jobs = request.institution.jobs
    .filter(
      (job) =>
        (!profileId || job.profile_id === profileId) &&
        (!type || job.type === type) &&
        (!category || job.category === category),
    )
    .map((job) => renderJob(job, request.apiBase));
  return ok(listBody("job", jobs, query), "jobs");
}

function getJob(request: SimRequest): SimResponse {
  const id = request.params.job_id ?? "";
  const job = request.institution.jobs.find((candidate) => candidate.id === id);
  if (!job) throw notFound(ErrorCodes.jobNotFound, `Job ${id} was not found.`);
  return ok(renderJob(job, request.apiBase), "job");
}

/** `GET /conf/integration-profiles?type=REMOTE_STORAGE`. */
function listIntegrationProfiles(request: SimRequest): SimResponse {
  const type = request.query.get("type");
  const profiles = request.institution.integration_profiles
    .filter((profile) => !type || profile.type === type)
    .map((profile) => ({
      id: profile.id,
      code: profile.code,
      type: { value: profile.type },
      ...(profile.description ? { description: profile.description } : {}),
      link: `${request.apiBase}/conf/integration-profiles/${profile.id}`,
    }));
  return ok(listBody("integration_profile", profiles, request.query), "integration_profiles");
}

export const confRoutes: Route[] = [
  { method: "GET", pattern: "/conf/libraries", area: "conf", handler: listLibraries },
  { method: "GET", pattern: "/conf/libraries/:library", area: "conf", handler: getLibrary },
  { method: "GET", pattern: "/conf/libraries/:library/locations", area: "conf", handler: listLocations },
  { method: "GET", pattern: "/conf/libraries/:library/circ-desks", area: "conf", handler: listCircDesks },
  { method: "GET", pattern: "/conf/sets", area: "conf", handler: listSets },
  { method: "GET", pattern: "/conf/sets/:set_id", area: "conf", handler: getSet },
  { method: "GET", pattern: "/conf/sets/:set_id/members", area: "conf", handler: listSetMembers },
  { method: "GET", pattern: "/conf/jobs", area: "conf", handler: listJobs },
  { method: "GET", pattern: "/conf/jobs/:job_id", area: "conf", handler: getJob },
  { method: "GET", pattern: "/conf/integration-profiles", area: "conf", handler: listIntegrationProfiles },
];
