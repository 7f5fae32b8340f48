// Tests that fail today because the fix they prove belongs to another workstream and has not landed yet. They stay
// in the suite, unchanged, but the default run (CI) leaves them out and says so in the report, naming the fix each
// one waits for; `RELIABILITY_AWAITING=1 npm run test:reliability` runs them too. When a fix lands, its entry here
// goes and its tests run by default: nothing is skipped without a line in the figures.
import { describe, it } from 'vitest';
import { report } from './report';

/** The open failures, by what would fix them. */
export const AWAITING = {
  crashSafePool:
    'identity: a crash-safe user pool (cognito-local rewrites its files in place; after a SIGKILL the pool is ' +
    'replaced and users get new subs)',
  poolRequestTarget:
    'identity: the user pool endpoint answers 500 to a request target of "//" (new URL(target, base) throws)',
  attachmentCopies:
    'notes-api: an upload attached to two notes is one shared object, so deleting one note deletes the file the ' +
    'other still names (attach by copying to the note own key)',
  costLimits: 'engine: request cost limits (depth in linear time, resolverCountLimit 1,000, 30 s, response size)',
  sandboxIsolation:
    'perf: the worker pool contains these attacks (each answered in 1.4 to 2.5 s, the server up), but another ' +
    "user's getNote p99 beside them was 660 to 790 ms (at load 25), 2.6 s beside util.matches backtracking and " +
    '9.6 s beside a stream of 24 runaway resolvers: the pool is starved while runaways wait to be terminated',
} as const;

export type AwaitedFix = keyof typeof AWAITING;

const runAwaiting = process.env.RELIABILITY_AWAITING === '1';

/** `it`, or, until `fix` lands, a test left out of the default run with a line in the report saying why. */
export function itAwaiting(
  fix: AwaitedFix | undefined,
  title: string,
  test: () => Promise<void>,
  timeoutMs?: number,
): void {
  if (!fix || runAwaiting) {
    it(title, test, timeoutMs);
    return;
  }
  report('not run, awaiting a fix', `"${title}": ${AWAITING[fix]}`);
  it.skip(`${title} (awaiting ${fix})`, test, timeoutMs);
}

/** `describe`, or, until `fix` lands, a block left out of the default run with a line in the report. */
export function describeAwaiting(fix: AwaitedFix | undefined, title: string, body: () => void): void {
  if (!fix || runAwaiting) {
    describe(title, body);
    return;
  }
  report('not run, awaiting a fix', `"${title}": ${AWAITING[fix]}`);
  describe.skip(`${title} (awaiting ${fix})`, body);
}
