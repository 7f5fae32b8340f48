// The server's log on stdout: a line per request, written one by one, would be a write system call per request (Node
// writes stdout synchronously to files, pipes and terminals on Linux), and on this kind of machine each one costs
// about as much as a request's own socket writes. Lines are gathered for a short window and written together, so a
// busy server makes a few writes a second; a line still shows within the window, and whatever is left is written
// when the process exits.

/** Long enough to gather a busy server's lines, short enough that a person reading the log sees no delay. */
const FLUSH_WINDOW_MS = 20;
/** Written at once past this, so a flood of lines never piles up in memory. */
const MAX_PENDING_CHARS = 64 * 1024;

let pending = '';
let timer: NodeJS.Timeout | undefined;
// Hooked on first use: test files that import the server afresh would otherwise add an exit listener each.
let exitHooked = false;

function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  if (pending === '') return;
  const text = pending;
  pending = '';
  process.stdout.write(text);
}

/** Logs one line to stdout, in order with every other line logged through it. */
export function logLine(line: string): void {
  pending += `${line}\n`;
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flush);
  }
  if (pending.length > MAX_PENDING_CHARS) flush();
  else if (!timer) timer = setTimeout(flush, FLUSH_WINDOW_MS).unref();
}
