import { inProcessKinds } from "./support/server-kinds.js";
import { transferSuite } from "./support/transfer-suite.js";

// The shared transfer cases against the servers in src/sandbox/transfer (no outside programs needed).
const reasons = await Promise.all(inProcessKinds.map((kind) => kind.unavailable()));
inProcessKinds.forEach((kind, index) => transferSuite(kind, reasons[index]));
