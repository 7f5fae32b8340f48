// The server's log on stdout: a line per request, written one by one, would be a write system call per request (Node
// writes stdout synchronously to files and pipes on Linux). Lines logged during one turn of the event loop are
// written together at the end of that turn instead, and whatever is left when the process exits.

let pending = '';
let scheduled = false;
// Hooked on first use: test files that import the server afresh would otherwise add an exit listener each.
let exitHooked = false;

function flush(): void {
  scheduled = false;
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
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
