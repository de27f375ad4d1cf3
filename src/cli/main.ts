import { CommanderError } from "commander";
import { ExitCode } from "../runtime/exit-codes.js";
import { buildProgram } from "./program.js";

// `alma-rs --help | head`: a reader that goes away is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const ok = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code);
    process.exitCode = ok ? ExitCode.Done : ExitCode.Usage;
  } else {
    process.stderr.write(`alma-rs: ${(error as Error).message}\n`);
    process.exitCode = ExitCode.Aborted;
  }
}
