/**
 * A signal that fires as soon as `condition` holds (looked at every millisecond), for interrupting a run at a
 * chosen moment whatever the machine's load; `stop` ends the watch.
 */
export function abortWhen(condition: () => boolean): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const watch = setInterval(() => {
    if (condition()) {
      clearInterval(watch);
      controller.abort();
    }
  }, 1);
  return { signal: controller.signal, stop: () => clearInterval(watch) };
}
