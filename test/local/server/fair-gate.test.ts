// A caller's share of a data source: at most a few calls in flight, the rest in order behind them, and nobody else
// waiting behind the queue.
import { describe, expect, it } from 'vitest';
import { FairGate } from '../../../local/server/fair-gate';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('FairGate', () => {
  it('lets a caller have `share` calls in flight, starts the rest in order as those end', async () => {
    const gate = new FairGate(2);
    const ends = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const calls = ends.map((end, i) =>
      gate.run('alice', async () => {
        started.push(i);
        await end.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.load('alice')).toEqual({ running: 2, waiting: 3 });
    ends[1].resolve();
    await calls[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const end of ends) end.resolve();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.load('alice')).toEqual({ running: 0, waiting: 0 });
  });

  it("starts another caller's call at once while the first caller's wait", async () => {
    const gate = new FairGate(1);
    const held = deferred();
    const alice = [gate.run('alice', () => held.promise), gate.run('alice', () => held.promise)];
    let bobRan = false;
    await gate.run('bob', async () => {
      bobRan = true;
    });
    expect(bobRan).toBe(true);
    expect(gate.load('alice')).toEqual({ running: 1, waiting: 1 });
    held.resolve();
    await Promise.all(alice);
  });

  it('frees the slot of a call that fails', async () => {
    const gate = new FairGate(1);
    await expect(gate.run('alice', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await gate.run('alice', async () => 'next')).toBe('next');
    expect(gate.load('alice')).toEqual({ running: 0, waiting: 0 });
  });
});
