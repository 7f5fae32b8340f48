// The figures the suite reports (probes run and held, latencies, RSS, writes lost): each test file appends its lines
// to the run's report file, and the global teardown prints them together at the end of the run.
import { appendFileSync } from 'node:fs';
import { afterAll, it } from 'vitest';

/** Set by the global setup: where this run collects its figures. */
export const REPORT_FILE_VARIABLE = 'RELIABILITY_REPORT_FILE';

export function report(section: string, line: string): void {
  const text = `${section}: ${line}`;
  console.log(text);
  const file = process.env[REPORT_FILE_VARIABLE];
  if (file) appendFileSync(file, `${text}\n`);
}

export interface Matrix {
  /** One row of the table: a test that counts as held only when every expectation in it passed. */
  probe(title: string, check: () => Promise<void>, timeoutMs?: number): void;
}

/** A table-driven matrix whose report says how many probes ran and how many held. */
export function matrix(name: string): Matrix {
  let ran = 0;
  let held = 0;
  afterAll(() => {
    report(name, `${ran} probes ran, ${held} held`);
  });
  return {
    probe(title, check, timeoutMs) {
      it(
        title,
        async () => {
          ran += 1;
          await check();
          held += 1;
        },
        timeoutMs,
      );
    },
  };
}

/** The q-quantile (0..1) of the samples, nearest rank. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const ms = (value: number) => `${Math.round(value)} ms`;
export const mb = (value: number) => `${value.toFixed(0)} MB`;
