/** The most calls released within any window of `windowMs` (limiter ms). */
export function busiestWindow(releases: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < releases.length; end += 1) {
    while (releases[end]! - releases[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
