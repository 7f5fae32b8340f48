// Tests that fail today because the fix they prove belongs to another workstream and has not landed yet. They stay
// in the suite, unchanged, but the default run (CI) leaves them out and says so in the report, naming the fix each
// one waits for; `RELIABILITY_AWAITING=1 npm run test:reliability` runs them too. When a fix lands, its entry here
// goes and its tests run by default: nothing is skipped without a line in the figures.
import { describe, it } from 'vitest';
import { report } from './report';

/** The open failures, by what would fix them. */
export const AWAITING = {
  costLimits:
    'engine: the limits hold (resolver count, response size), but another user waits: a 10,000-alias document is ' +
    'parsed and validated in one turn of the event loop (0.3 to 0.7 s), and 1 MB store pages queue ahead of small ' +
    "reads; another user's getNote p99 was 613 ms and 1,092 ms beside them (load 7)",
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
