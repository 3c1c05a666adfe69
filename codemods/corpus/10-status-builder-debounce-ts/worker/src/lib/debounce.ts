// Trailing debounce: the last call within `waitMs` wins. Added after the main server's on-call asked us to
// "stop hammering /status" (INC-2291). Events are not debounced yet.
export function debounce<A extends unknown[]>(fn: (...args: A) => unknown, waitMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastArgs: A | undefined;
  const debounced = (...args: A): void => {
    lastArgs = args;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const call = lastArgs;
      lastArgs = undefined;
      if (call) void fn(...call);
    }, waitMs);
  };
  debounced.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    lastArgs = undefined;
  };
  return debounced;
}
