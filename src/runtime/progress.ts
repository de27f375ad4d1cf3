import cliProgress from "cli-progress";

/** A progress display: a bar on a terminal, nothing under cron or with --quiet. */
export interface Progress {
  start(total: number, label: string): void;
  setTotal(total: number): void;
  increment(by?: number): void;
  stop(): void;
}

const noProgress: Progress = { start() {}, setTotal() {}, increment() {}, stop() {} };

export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return noProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{label} [{bar}] {value}/{total} {rate}/s eta {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let value = 0;
  return {
    start(total, label) {
      started = Date.now();
      value = 0;
      bar.start(total, 0, { label, rate: "0" });
    },
    setTotal(total) {
      bar.setTotal(total);
    },
    increment(by = 1) {
      value += by;
      const seconds = (Date.now() - started) / 1000;
      bar.increment(by, { rate: seconds > 0 ? (value / seconds).toFixed(1) : "0" });
    },
    stop() {
      bar.stop();
    },
  };
}
