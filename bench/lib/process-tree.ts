// CPU time and resident memory of a whole process tree, read from /proc (Linux): a server under test is its own
// process plus whatever it spawned (npm's shell and node, esbuild's service, a store in a process of its own), and
// threads are counted inside their process. A process that already exited no longer counts; the bench reads the tree
// while the server runs, before and after each measurement.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;
let pageBytes: number | undefined;

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime, clock ticks. */
  ticks: number;
  /** Resident pages. */
  rssPages: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may hold spaces: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      rssPages: Number(fields[21]),
    };
  } catch {
    return undefined;
  }
}

/** Every live process whose ancestry reaches `root`, `root` first. */
export function processTree(root: number): Stat[] {
  const all: Stat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) all.push(stat);
  }
  const children = new Map<number, Stat[]>();
  for (const stat of all) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const rootStat = all.find((s) => s.pid === root);
  if (!rootStat) return [];
  const tree = [rootStat];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i].pid) ?? []));
  return tree;
}

/** User + system CPU of the tree's live processes (all their threads), in ms. */
export function treeCpuMs(root: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (processTree(root).reduce((sum, s) => sum + s.ticks, 0) / ticksPerSecond) * 1000;
}

/** Resident memory of the tree's processes added up, in bytes (pages shared between processes count once each). */
export function treeRssBytes(root: number): number {
  pageBytes ??= Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;
  return processTree(root).reduce((sum, s) => sum + s.rssPages, 0) * pageBytes;
}

/** Samples the tree's RSS every `intervalMs` until stopped; returns the highest sum seen. */
export function sampleTreeRss(root: number, intervalMs = 100): { stop(): number } {
  let peak = treeRssBytes(root);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(root));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssBytes(root));
    },
  };
}

/** Sends `signal` to every process of the tree, deepest first (a parent may restart a child it loses). */
export function signalTree(root: number, signal: NodeJS.Signals): void {
  for (const { pid } of processTree(root).reverse()) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
