// Pipeline function (HTTP data source `noteChanges`, the API's own endpoint signed with IAM for appsync): once a
// note change is committed, calls Mutation.publishNoteChange with every field selected, so that @aws_subscribe
// delivers the whole change to the owner's onNoteChange subscriptions whatever the mutating client selected
// (AppSync publishes a mutation's response as its caller selected it, and filters on unselected fields never match:
// aws/aws-appsync-community#89).
//
// A failed publish never fails the mutation: the change is committed and the caller has its result. It is reported
// next to the result, as a failed attachment cleanup is (util.appendError, errorType NoteChangeNotPublished), so
// the writer's app knows its other devices will only see the change when they next load or reconnect (the SDK
// refetches then). AppSync's field-level logs (ERROR level) record it too.
import { runtime, util, type Context } from '@aws-appsync/utils';
import type { Note, NoteChangeKind } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';

const KIND_OF_FIELD: Record<string, NoteChangeKind> = {
  createNote: 'CREATED',
  updateNote: 'UPDATED',
  deleteNote: 'DELETED',
};

// Everything an IAM caller may read of a NoteChange (Attachment.downloadUrl is user-pool only).
const PUBLISH = `mutation PublishNoteChange($input: NoteChangeInput!) {
  publishNoteChange(input: $input) {
    owner kind noteId changedAt
    note { noteId content createdAt updatedAt version attachment { key fileName contentType size } }
  }
}`;

export function request(ctx: Context) {
  const note = ctx.stash.note as Note | undefined;
  const kind = KIND_OF_FIELD[ctx.info.fieldName];
  // Nothing committed (or a replayed createNote, which changed nothing): nothing to publish.
  if (!note || !kind || ctx.stash.noteUnchanged === true) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return {
    method: 'POST',
    resourcePath: '/graphql',
    params: {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: PUBLISH,
        variables: { input: { owner: callerId(ctx), kind, note: JSON.stringify(note) } },
      }),
    },
  };
}

interface HttpResult {
  statusCode: number;
  body?: string;
}

/** Why the publish failed, or null when AppSync accepted it. */
function failureOf(ctx: Context): string | null {
  if (ctx.error) return ctx.error.message;
  const result = ctx.result as HttpResult | null;
  if (!result) return 'no response';
  // Only a 200 is AppSync's GraphQL answer (JSON, with or without errors); anything else may not be JSON, and
  // APPSYNC_JS has no try/catch to survive parsing it.
  if (result.statusCode !== 200) return `HTTP ${result.statusCode}`;
  const body = (result.body ? JSON.parse(result.body) : null) as {
    errors?: Array<{ message?: string; errorType?: string }>;
  } | null;
  // AppSync always answers `errors` as a list when present.
  const errors = body && body.errors ? body.errors : [];
  if (errors.length > 0) {
    const first = errors[0];
    return `${first.errorType ? `${first.errorType}: ` : ''}${first.message ?? 'error'}`;
  }
  return null;
}

export function response(ctx: Context): unknown {
  const failure = failureOf(ctx);
  if (failure) {
    const note = ctx.stash.note as Note;
    const kind = KIND_OF_FIELD[ctx.info.fieldName];
    util.appendError(
      `The note was saved, but the change could not be sent to your other devices: ${failure}`,
      'NoteChangeNotPublished',
      null,
      { noteId: note.noteId, kind },
    );
  }
  return ctx.prev.result;
}
