// The three resolvers behind real-time note changes: the publisher the API calls itself, the subscription that only
// ever listens to the caller's own notes, and the mutation that closes a user's subscriptions everywhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity, noteItem } from '../helpers/resolver-context';
import { toNote } from '../../resolvers/lib/notes';

const ownerFilter = (sub: string) => ({
  filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: sub }] }],
});

describe('Mutation.publishNoteChange', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Mutation.publishNoteChange.ts', { strict: true });
  });

  it('returns the change with the whole note, as JSON text or already parsed', () => {
    const note = toNote(noteItem());
    for (const json of [JSON.stringify(note), note]) {
      const out = resolver.request({ arguments: { input: { owner: OWNER_SUB, kind: 'UPDATED', note: json } } });
      expect(out.error).toBeUndefined();
      expect(out.result).toEqual({
        payload: { owner: OWNER_SUB, kind: 'UPDATED', noteId: note.noteId, note, changedAt: note.updatedAt },
      });
    }
  });

  it('stamps a deletion with the time of publishing', () => {
    const note = toNote(noteItem());
    const out = resolver.request({ arguments: { input: { owner: OWNER_SUB, kind: 'DELETED', note } } });
    const changedAt = (out.result as { payload: { changedAt: string } }).payload.changedAt;
    expect(Date.parse(changedAt)).toBeGreaterThan(Date.parse(note.updatedAt));
  });

  it('refuses a note that is not a stored note', () => {
    const out = resolver.request({ arguments: { input: { owner: OWNER_SUB, kind: 'CREATED', note: '{"x":1}' } } });
    expect(out.error).toMatchObject({ type: 'ValidationError' });
  });
});

describe('Subscription.onNoteChange', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Subscription.onNoteChange.ts', { strict: true });
  });

  it('filters on the subscriber as owner, and invalidates on the same condition', () => {
    const out = resolver.response({ arguments: {}, identity: cognitoIdentity(OWNER_SUB), result: null });
    expect(out.error).toBeUndefined();
    expect(out.extensions).toEqual([
      { kind: 'setSubscriptionFilter', filter: ownerFilter(OWNER_SUB) },
      { kind: 'setSubscriptionInvalidationFilter', filter: ownerFilter(OWNER_SUB) },
    ]);
  });

  it('ignores an owner smuggled into the arguments', () => {
    const out = resolver.response({ arguments: { owner: OTHER_SUB }, identity: cognitoIdentity(OWNER_SUB) });
    expect(JSON.stringify(out.extensions)).not.toContain(OTHER_SUB);
  });

  it('refuses a caller without a user pool identity', () => {
    expect(resolver.request({ arguments: {}, identity: null }).error).toMatchObject({ type: 'Unauthorized' });
  });
});

describe('Mutation.closeNoteSubscriptions', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Mutation.closeNoteSubscriptions.ts', { strict: true });
  });

  it("invalidates the caller's own onNoteChange subscriptions and answers true", () => {
    const out = resolver.response({ arguments: {}, identity: cognitoIdentity(OWNER_SUB), result: true });
    expect(out.result).toBe(true);
    expect(out.extensions).toEqual([
      {
        kind: 'invalidateSubscriptions',
        payload: { subscriptionField: 'onNoteChange', payload: { owner: OWNER_SUB } },
      },
    ]);
  });

  it('refuses a caller without a user pool identity', () => {
    expect(resolver.request({ arguments: {}, identity: null }).error).toMatchObject({ type: 'Unauthorized' });
  });
});
