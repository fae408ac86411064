import { useEffect, useState } from 'preact/hooks';
import { api } from './api';

/** Runs `load` now and every `ms` while the page shows (a page of live operations data). */
export function usePolling(load: () => Promise<unknown>, ms: number): void {
  useEffect(() => {
    void load();
    const timer = setInterval(load, ms);
    return () => clearInterval(timer);
  }, [load, ms]);
}

/** An ops action (POST), its outcome told in a notice, and the page read again after it. */
export function useAction(reload: () => Promise<unknown>) {
  const [notice, setNotice] = useState<string>();
  const act = async (label: string, path: string, body: unknown) => {
    try {
      await api('POST', path, body);
      setNotice(`${label}: done`);
    } catch (e) {
      setNotice(`${label} refused: ${(e as Error).message}`);
    }
    await reload();
  };
  return { notice, act };
}
