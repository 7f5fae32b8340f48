// Stops a long-running command when whatever launched it is gone, however it went. A signal sent to a launcher is
// not always passed on: `npx appsync-local serve` and `npm start` run the command as npm → `sh -c` → node, and a
// SIGTERM, SIGHUP or SIGKILL to npm ends npm (and the shell) but not node, which then keeps the ports and the data
// folder. Node cannot ask the kernel for a signal when its parent dies, so the command looks, once a second, at the
// processes it depends on: the parent when a launcher of ours (scripts/start.js) says so in the environment, and the
// npm (and npm's shell) it runs under. A process is gone when its pid no longer names the process seen at the start.
// A command started directly from a terminal, a process manager or a test watches nothing: `nohup ... &` outlives
// its terminal as it should.
import { readFileSync } from 'node:fs';

/** Set by a launcher of ours on the command it spawns: the launcher's pid. */
export const LAUNCHER_PID_VARIABLE = 'APPSYNC_LOCAL_LAUNCHER_PID';
const CHECK_INTERVAL_MS = 1000;

/** A process's arguments, and its parent and start time (which tell a pid's reuse from the process), or undefined. */
function describeProcess(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { parent: Number(fields[1]), started: fields[19], args };
  } catch {
    return undefined;
  }
}

/** npm or npx itself (which retitles itself "npm exec ...", "npm start"). */
function isNpm(args) {
  return /^np[mx](\s|$)/.test(args[0] ?? '') || args.some((arg) => /np[mx]-cli\.js$/.test(arg));
}

/** The non-interactive shell npm runs a script or a package's bin with. */
function isShellCommand(args) {
  return /(^|\/)(sh|dash|bash|zsh)$/.test(args[0] ?? '') && args[1] === '-c';
}

/** The pids this process depends on, each with the start time it had when first seen. */
function dependencies() {
  const watched = [];
  const launcher = Number(process.env[LAUNCHER_PID_VARIABLE]);
  // Only this process reads it: what it spawns has launchers of its own.
  delete process.env[LAUNCHER_PID_VARIABLE];
  let pid = process.ppid;
  let seen = describeProcess(pid);
  if (launcher === pid && seen) {
    watched.push({ pid, started: seen.started });
    pid = seen.parent;
    seen = describeProcess(pid);
  }
  if (seen && isShellCommand(seen.args)) {
    const parent = describeProcess(seen.parent);
    if (parent && isNpm(parent.args)) {
      watched.push({ pid, started: seen.started }, { pid: seen.parent, started: parent.started });
    }
  } else if (seen && isNpm(seen.args)) {
    watched.push({ pid, started: seen.started });
  }
  return watched;
}

/**
 * Calls `onGone` once when a process this one depends on has gone (see above); returns a function that stops
 * watching. Watches nothing where /proc is missing (not Linux) or when nothing launched this process.
 */
export function whenLauncherGone(onGone) {
  const watched = dependencies();
  if (watched.length === 0) return () => {};
  const timer = setInterval(() => {
    if (watched.every(({ pid, started }) => describeProcess(pid)?.started === started)) return;
    clearInterval(timer);
    onGone();
  }, CHECK_INTERVAL_MS);
  // Watching alone never keeps the process running.
  timer.unref();
  return () => clearInterval(timer);
}
