// Reads a V8 CPU profile (.cpuprofile, as `node --cpu-prof` or the inspector's Profiler writes it) and tells where the
// time went: self time by function and by area (project file, package, Node internals, GC), and inclusive time of the
// busiest functions, so a slow path shows with its callers.
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Share {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  /** Sampled time that was not idle: busy samples times the sampling interval (the main thread's CPU, roughly). */
  busyMs: number;
  idleMs: number;
  /** Self time by function (`name area[:line]`). */
  self: Map<string, number>;
  /** Self time by area: project file, package, Node module, V8 (GC, native code). */
  areas: Map<string, number>;
  /** Time with the function anywhere on the stack (synchronous part only: work after an await is not under it). */
  inclusive: Map<string, number>;
}

const SPECIAL = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

/** A short place for a script URL: project-relative, `pkg` for node_modules, `node:` for internals. */
export function areaOf(url: string, projectRoot: string): string {
  if (url === '') return 'V8/native (no script)';
  if (url.startsWith('node:'))
    return `node:${
      url
        .slice(5)
        .replace(/^internal\//, '')
        .split('/')[0]
    }`;
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (packaged) return packaged[1];
  if (path.isAbsolute(file)) return path.relative(projectRoot, file);
  // Scripts compiled inside the APPSYNC_JS realm carry their own names (the resolver file, appsync-realm.js).
  return `realm: ${file}`;
}

function functionKey(frame: CallFrame, projectRoot: string): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const name = frame.functionName || '(anonymous)';
  const area = areaOf(frame.url, projectRoot);
  // tsx compiles project files to a line or two, so only packages' and Node's line numbers say anything.
  const projectFile = /^(file:\/\/|\/)/.test(frame.url) && !frame.url.includes('/node_modules/');
  const line = projectFile || frame.url === '' ? '' : `:${frame.lineNumber + 1}`;
  return `${name} ${area}${line}`;
}

/** Frames of the profiler's own start and stop calls, not of the work being profiled. */
function isProfilerFrame(frame: CallFrame): boolean {
  return frame.url === 'node:inspector' || frame.url.endsWith('/inspector.js');
}

/** Which of the local server's threads wrote a profile, told by the scripts it ran. */
export function threadRole(profile: Pick<CpuProfile, 'nodes'>): string {
  const urls = new Set(profile.nodes.map((node) => node.callFrame.url));
  const ran = (part: string) => [...urls].some((url) => url.includes(part));
  if (ran('/evaluation-worker-')) return 'resolver worker';
  if (ran('dynalite')) return 'DynamoDB store (dynalite)';
  if (ran('/modules/cli-')) return 'main';
  return 'other';
}

export function top(totals: Map<string, number>, limit: number, keep: (name: string) => boolean = () => true): Share[] {
  return [...totals]
    .filter(([name]) => keep(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms }));
}

/** Inclusive time of a function named `name` in an area starting with `area` (the busiest such function). */
export function inclusiveOf(summary: ProfileSummary, name: string, area: string): number {
  let best = 0;
  const prefix = `${name} ${area}`;
  for (const [key, ms] of summary.inclusive) if (key.startsWith(prefix) && ms > best) best = ms;
  return best;
}

export function summariseProfile(profile: CpuProfile, projectRoot: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  // For each node, the distinct function keys on its stack (root to node), computed once.
  const stackKeys = new Map<number, string[]>();
  const keysOf = (id: number): string[] => {
    const known = stackKeys.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const parent = parentOf.get(id);
    const above = parent === undefined ? [] : keysOf(parent);
    const key = functionKey(node.callFrame, projectRoot);
    const keys = above.includes(key) ? above : [...above, key];
    stackKeys.set(id, keys);
    return keys;
  };

  const profilerNodes = new Set<number>();
  const underProfiler = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      if (profilerNodes.has(at) || isProfilerFrame(byId.get(at)!.callFrame)) {
        profilerNodes.add(id);
        return true;
      }
    }
    return false;
  };

  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  // Every sample counts as one sampling interval. The sampler measures wall time, so on a busy machine the sample
  // taken after the process was descheduled carries the whole pause; weighting by the deltas would pin that time on
  // whatever function happened to be running.
  const deltas = profile.timeDeltas.filter((delta) => delta > 0).sort((a, b) => a - b);
  const ms = (deltas[Math.floor(deltas.length / 2)] ?? 0) / 1000;
  profile.samples.forEach((id) => {
    if (underProfiler(id)) return;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const key = functionKey(node.callFrame, projectRoot);
    self.set(key, (self.get(key) ?? 0) + ms);
    const area = SPECIAL.has(name) ? name : areaOf(node.callFrame.url, projectRoot);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    for (const stackKey of keysOf(id)) {
      if (SPECIAL.has(stackKey)) continue;
      inclusive.set(stackKey, (inclusive.get(stackKey) ?? 0) + ms);
    }
  });
  return { busyMs, idleMs, self, areas, inclusive };
}
