import { realDaemonKinds } from "./support/server-kinds.js";
import { transferSuite } from "./support/transfer-suite.js";

// The same transfer cases against real daemons (OpenSSH's sshd, pure-ftpd) started by the tests on 127.0.0.1,
// each with a temp config, host key or certificate, and user. Skipped, saying why, where they are not installed;
// .ci/run installs them.
const reasons = await Promise.all(realDaemonKinds.map((kind) => kind.unavailable()));
realDaemonKinds.forEach((kind, index) => transferSuite(kind, reasons[index]));
