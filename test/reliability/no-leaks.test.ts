// Issue 8, item 5: under a steady mixed load (create, get, list, update, delete from two signed-in users), the
// server's RSS, every thread included, after the tenth round of 1,500 operations is within 10% of its RSS after the
// third, and no operation fails. The load and the measurement are bench/lib/leak-check.ts.
//
// The bound is checked on RSS right after a full garbage collection in every thread of the server (forced through
// the inspector the check starts it with, nothing in the server's own code): what the server keeps, not how much
// garbage V8 happened to leave uncollected at that instant, which swings RSS by tens of MB from one round to the
// next. RSS as it is after each round goes into the figures beside it.
import { describe, expect, it } from 'vitest';
import { runLeakCheck } from '../../bench/lib/leak-check';
import { mb, report } from './helpers/report';
import { PROJECT_ROOT } from './helpers/server';

describe('memory under a steady mixed load', () => {
  it('levels off: RSS after round 10 within 10% of RSS after round 3, no failures', async () => {
    const result = await runLeakCheck({ projectRoot: PROJECT_ROOT });
    const rounds = (values: number[]) => values.map((value, round) => `${round + 1}: ${mb(value)}`).join(', ');
    const growth = (values: number[]) => `${(((values[9] - values[2]) / values[2]) * 100).toFixed(1)}%`;
    report(
      'leaks',
      `10 rounds of 1,500 operations, ${result.failures} failed; RSS after a full GC in every thread: round 3 ` +
        `${mb(result.rssAfterGcMb[2])}, round 10 ${mb(result.rssAfterGcMb[9])} (${growth(result.rssAfterGcMb)}; ` +
        `${rounds(result.rssAfterGcMb)}); RSS as it was before the GC: round 3 ${mb(result.rssMb[2])}, round 10 ` +
        `${mb(result.rssMb[9])} (${growth(result.rssMb)}; ${rounds(result.rssMb)})`,
    );
    expect(result.failures, result.firstFailure).toBe(0);
    expect(result.rssAfterGcMb).toHaveLength(10);
    expect(result.rssAfterGcMb[9]).toBeLessThanOrEqual(result.rssAfterGcMb[2] * 1.1);
  }, 900_000);
});
