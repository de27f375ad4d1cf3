import { ok, type SimRequest, type SimResponse } from "../context.js";
import { checkPermission, type Route } from "../router.js";

/** `GET|POST /almaws/v1/{area}/test`: 200 when the key may read (GET) or write (POST) that area. */
function areaTest(request: SimRequest): SimResponse {
  checkPermission(request, { area: request.params.area ?? "" });
  return ok({ value: `${request.method} - OK` }, "test");
}

/** Listed first: `/bibs/test` must not be read as the bib whose id is "test". */
export const areaTestRoutes: Route[] = [
  { method: "GET", pattern: "/:area/test", area: "", handler: areaTest },
  { method: "POST", pattern: "/:area/test", area: "", handler: areaTest },
];
