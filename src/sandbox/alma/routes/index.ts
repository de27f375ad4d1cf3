import type { Route } from "../router.js";
import { areaTestRoutes } from "./area-test.js";
import { bibRoutes } from "./bibs.js";
import { confRoutes } from "./conf.js";
import { holdingRoutes } from "./holdings.js";
import { itemRoutes } from "./items.js";
import { loanRoutes } from "./loans.js";
import { requestRoutes } from "./requests.js";
import { scanInRoutes } from "./scan-in.js";
import { userRoutes } from "./users.js";

/** Every endpoint the simulator answers, below `/almaws/v1`. */
export const almaRoutes: Route[] = [
  ...areaTestRoutes,
  ...bibRoutes,
  ...holdingRoutes,
  ...itemRoutes,
  ...scanInRoutes,
  ...requestRoutes,
  ...loanRoutes,
  ...userRoutes,
  ...confRoutes,
];
