import { readdir, readFile } from 'node:fs/promises';

/** CPU time of a process so far, in ms, by kind of thread. */
export interface ThreadCpu {
  /** The main thread: the event loop. */
  readonly eventLoop: number;
  /** Threads below the process's priority: Continuo's inference threads run 10 nice steps down. */
  readonly inference: number;
  /** Every other thread: V8's compiler and garbage-collector helpers, libuv's file-system pool. */
  readonly other: number;
}

/**
 * Reads the CPU time of each thread of a process from /proc (Linux: `schedstat`, in nanoseconds);
 * null where there is no /proc.
 */
export async function threadCpu(pid: number): Promise<ThreadCpu | null> {
  let tids: string[];
  let nice: number;
  try {
    tids = await readdir(`/proc/${pid}/task`);
    nice = niceOf(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
  const cpu = { eventLoop: 0, inference: 0, other: 0 };
  for (const tid of tids) {
    try {
      const [stat, schedstat] = await Promise.all([readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'), readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')]);
      const ms = Number(schedstat.split(' ')[0]) / 1e6;
      if (Number(tid) === pid) cpu.eventLoop += ms;
      else if (niceOf(stat) > nice) cpu.inference += ms;
      else cpu.other += ms;
    } catch {
      // the thread ended meanwhile
    }
  }
  return cpu;
}

/** The nice value of a `stat` line (field 19; the command name before it may hold spaces). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

export function cpuSince(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  return { eventLoop: after.eventLoop - before.eventLoop, inference: after.inference - before.inference, other: after.other - before.other };
}

export function addCpu(a: ThreadCpu, b: ThreadCpu): ThreadCpu {
  return { eventLoop: a.eventLoop + b.eventLoop, inference: a.inference + b.inference, other: a.other + b.other };
}
