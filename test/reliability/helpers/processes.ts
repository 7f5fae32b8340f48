// Child processes the suite starts, and only those: each one leads its own process group (so a kill reaches the
// helpers it starts, such as esbuild's service), is recorded in the run's pid file (so the global teardown can end it
// when a test file dies before its cleanup), and is killed when this test process exits.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';

/** Set by the global setup: where this run records the process groups it started. */
export const PID_FILE_VARIABLE = 'RELIABILITY_PID_FILE';

const started = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of started) killGroup(child.pid, 'SIGKILL');
});

/** Spawns a child as the leader of a new process group, remembered until it exits. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`);
  started.add(child);
  child.once('exit', () => started.delete(child));
  const pidFile = process.env[PID_FILE_VARIABLE];
  if (pidFile) appendFileSync(pidFile, `${child.pid}\n`);
  return child;
}

/** Signals a process group this suite started; a group already gone is not an error. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Resolves when the child has exited (at once when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL after `graceMs`: the group is gone when this resolves. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const done = exited(child);
  killGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
  // The leader is gone; helpers it started may linger in the group.
  killGroup(child.pid, 'SIGKILL');
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The process and all its descendants (Linux /proc). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Resident memory of the process and its descendants (threads included), MB. */
export function treeRssMb(pid: number): number {
  return processTree(pid).reduce((sum, member) => sum + rssKb(member), 0) / 1024;
}
