// Query.listNotes: one Query on the caller's partition, newest first (note ids are ULIDs, so the sort key orders them
// by creation). The token is the data source's own, passed through untouched.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { NoteConnection, QueryListNotesArgs } from '../codegen/schema.generated';
import { callerId } from './lib/identity';
import { toNote, type NoteItem } from './lib/notes';
import { respondOrFail } from './lib/respond';
import { pageSize, pageToken } from './lib/validate';

export function request(ctx: Context<QueryListNotesArgs>) {
  const limit = pageSize(ctx.args.limit);
  const nextToken = pageToken(ctx.args.nextToken);
  return ddb.query<NoteItem>({
    query: { userId: { eq: callerId(ctx) } },
    limit,
    nextToken,
    scanIndexForward: false,
  });
}

export function response(ctx: Context<QueryListNotesArgs>): NoteConnection {
  const page = respondOrFail(ctx) as { items?: NoteItem[] | null; nextToken?: string | null };
  const items = page.items ?? [];
  return { items: items.map((item) => toNote(item)), nextToken: page.nextToken ?? null };
}
