// The request log's batching: lines gathered for a short window and written to stdout together, in order.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logLine } from '../../../local/server/log-lines';

const writes: string[] = [];

function captureStdout() {
  writes.length = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logLine', () => {
  it('writes the lines of a short window together, in order, soon after the first', async () => {
    captureStdout();
    logLine('POST /graphql 200 1.0ms a');
    logLine('POST /graphql 200 1.1ms b');
    await new Promise((resolve) => setTimeout(resolve, 5));
    logLine('POST /graphql 200 1.2ms c');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(writes).toEqual(['POST /graphql 200 1.0ms a\nPOST /graphql 200 1.1ms b\nPOST /graphql 200 1.2ms c\n']);
  });

  it('writes at once when a flood of lines passes 64 KB, and keeps the order', async () => {
    captureStdout();
    const line = 'x'.repeat(1023);
    for (let i = 0; i < 70; i += 1) logLine(`${i} ${line}`);
    // 65 lines of 1 KB passed the limit: written without waiting for the window.
    expect(writes).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = writes.join('').split('\n').filter(Boolean);
    expect(lines.map((l) => Number(l.split(' ')[0]))).toEqual(Array.from({ length: 70 }, (_, i) => i));
  });
});
