import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux reports a process's CPU time in clock ticks of USER_HZ, 100 on every Linux ABI Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) another process has used so far, from /proc; undefined off Linux. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface CpuSpent {
  /** This process: the local cloud with its function workers, the simulators and the load itself. */
  nodeMs: number;
  /** DynamoDB Local's JVM, when its pid is known. */
  javaMs: number | undefined;
}

/** Starts counting CPU time; the returned function says how much each side used since. */
export function cpuMeter(javaPid: number | undefined): () => CpuSpent {
  const node = process.cpuUsage();
  const java = processCpuMs(javaPid);
  return () => {
    const used = process.cpuUsage(node);
    const javaNow = processCpuMs(javaPid);
    return {
      nodeMs: (used.user + used.system) / 1000,
      javaMs: java === undefined || javaNow === undefined ? undefined : javaNow - java,
    };
  };
}

/**
 * CPU per order on each side, and the throughput this machine's cores would allow if nothing but
 * that CPU limited it: a figure that holds when the machine's neighbours make the rates swing.
 */
export function cpuPerOrder(spent: CpuSpent, orders: number): string {
  const node = spent.nodeMs / orders;
  const java = spent.javaMs === undefined ? undefined : spent.javaMs / orders;
  const total = node + (java ?? 0);
  const cores = cpus().length;
  return `CPU per order: local cloud ${node.toFixed(0)} ms, DynamoDB Local ${java === undefined ? 'unknown' : `${java.toFixed(0)} ms`}; ${cores} cores allow ${((cores * 1000) / total).toFixed(1)} orders/s at that cost`;
}
