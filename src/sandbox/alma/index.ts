export { startAlmaSimulator, type AlmaSimulator, type AlmaSimulatorOptions } from "./server.js";
export { defaultFixture, DEFAULT_API_KEYS, NZ_IDS } from "./default-fixture.js";
export {
  buildState,
  FixtureError,
  networkZoneId,
  type AlmaFixture,
  type FixtureInstitution,
} from "./fixture.js";
export { faultRuleSchema, type FaultRule } from "./faults.js";
export type { CallFilter, CallRecord } from "./call-log.js";
export { ErrorCodes } from "./error-codes.js";
export { formatId, IdPrefix } from "./ids.js";
export type * from "./types.js";
export { fixtureSchema, parseFixture, readFixtureFile } from "./fixture-file.js";
