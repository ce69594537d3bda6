/** Linux /proc readers: CPU time and memory of a process, and its children. */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (`getconf CLK_TCK` is 100 on every Linux Node runs on). */
export const CLK_TCK = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    return text
      .slice(text.lastIndexOf(')') + 2)
      .trim()
      .split(/\s+/);
  } catch {
    return undefined;
  }
}

/** User + system CPU time of the process itself, in ms (10 ms resolution); undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  const f = statFields(pid);
  if (f === undefined) return undefined;
  // After the name: state(3) ppid(4) ... utime is field 14, stime 15 -> indexes 11, 12 here.
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/**
 * CPU time of all the process's live threads in ms, to the nanosecond (sum of /proc/<pid>/task/<tid>/schedstat,
 * whose first field is time spent running). The 10 ms ticks of /proc/<pid>/stat are too coarse for a process
 * that uses 1% of a core over 10 s. Undefined once the process is gone.
 */
export function cpuPreciseMs(pid: number): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ns = 0;
  for (const tid of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread just ended
    }
  }
  return ns / 1e6;
}

export function parentPid(pid: number): number | undefined {
  const f = statFields(pid);
  return f === undefined ? undefined : Number(f[1]);
}

/** Memory figures from /proc/<pid>/status, in MB (MiB): VmRSS now and VmHWM (peak RSS since start). */
export function memoryMb(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Live direct children of pid (scans /proc). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const child = Number(name);
    if (parentPid(child) === pid) out.push(child);
  }
  return out;
}

export function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
