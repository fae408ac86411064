import { readdirSync, readFileSync } from 'node:fs';

/** True while a process with this pid exists (a zombie counts until its parent reaps it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The environment variable every process of one test run inherits, so teardown can find them. */
export const RUN_MARKER = 'OMS_TEST_RUN';

/**
 * Processes (other than `except`) whose environment carries `marker=value`: everything a test run
 * started, however it was reparented. Linux's /proc only; elsewhere nothing is found.
 */
export function processesMarked(value: string, except: number[]): Array<{ pid: number; command: string }> {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (except.includes(pid)) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(`${RUN_MARKER}=${value}`)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid, command });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
