import type { Config } from "../config/config.js";
import { LOG_LEVELS, setLogLevel, type Logger, type LogLevel } from "../runtime/logger.js";
import type { WebhookService } from "./service.js";

export interface SignalOptions {
  logger: Logger;
  /** The level the logger starts at. */
  level: LogLevel;
  /**
   * The level after a reload, from the new configuration (the command applies its own precedence: --log-level,
   * LOG_LEVEL, then `log.level`). Default: the configuration's `log.level` when set.
   */
  levelFor?: (config: Config) => LogLevel | undefined;
  /** Where the signals come from (tests pass an EventEmitter). */
  process?: Pick<NodeJS.Process, "on" | "off">;
}

/** The next level of the SIGUSR2 cycle: error → warn → info → debug → error. */
export function nextLogLevel(level: LogLevel): LogLevel {
  return LOG_LEVELS[(LOG_LEVELS.indexOf(level) + 1) % LOG_LEVELS.length]!;
}

/**
 * The listener's control channel is signals, never HTTP: SIGHUP reloads the configuration (and sets the log
 * level it gives) and rescans the spool; SIGUSR2 steps the log level; SIGTERM and SIGINT stop cleanly.
 * `stopped` resolves once the service has stopped.
 */
export function installSignalHandlers(
  service: WebhookService,
  options: SignalOptions,
): { stopped: Promise<void>; dispose: () => void } {
  const target = options.process ?? process;
  const { logger } = options;
  let level = options.level;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping = false;

  const onHup = () => {
    void service.reload().then((applied) => {
      const configured = (options.levelFor ?? ((config: Config) => config.log.level))(service.config);
      if (applied && configured && configured !== level) {
        level = configured;
        setLogLevel(logger, level);
        logger.warn(`log level is now ${level} (configuration reload)`);
      }
    });
  };
  const onUsr2 = () => {
    level = nextLogLevel(level);
    setLogLevel(logger, level);
    logger.warn(`log level is now ${level} (SIGUSR2)`);
  };
  const onStop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`webhook listener stopping (${signal})`);
    void service.stop().finally(() => {
      dispose();
      resolveStopped();
    });
  };
  const onTerm = () => onStop("SIGTERM");
  const onInt = () => onStop("SIGINT");
  const dispose = () => {
    target.off("SIGHUP", onHup);
    target.off("SIGUSR2", onUsr2);
    target.off("SIGTERM", onTerm);
    target.off("SIGINT", onInt);
  };
  target.on("SIGHUP", onHup);
  target.on("SIGUSR2", onUsr2);
  target.on("SIGTERM", onTerm);
  target.on("SIGINT", onInt);
  return { stopped, dispose };
}
