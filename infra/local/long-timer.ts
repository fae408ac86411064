/** Node timers overflow past 2^31-1 ms (24.8 days) and then fire at once; chain them instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  let handle: NodeJS.Timeout;
  const due = Date.now() + ms;
  const arm = () => {
    const remaining = due - Date.now();
    handle = setTimeout(remaining > MAX_TIMER_MS ? arm : fn, Math.min(Math.max(remaining, 0), MAX_TIMER_MS));
    handle.unref();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}
