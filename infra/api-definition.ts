// The notes API in one place: schema, auth, data sources, pipeline functions and resolvers. The CDK stack wires AWS
// from it and the local server runs it, so there is no second list to drift.
import { NOTE_FILES_PREFIX, STAGED_UPLOADS_PREFIX } from '../functions/lib/attachments';
import type { ApiDefinition, ResolverDefinition } from '../local/definition';

/** The notes table: one partition per user, note ids (ULIDs) as sort keys so a Query lists them by creation time. */
export const NOTES_TABLE = 'notesTable';

/**
 * Uploads never attached are deleted a day after they were made, on AWS (infra/constructs/storage.ts) and in the
 * local S3 (appsync-local.config.ts), by the same rule.
 */
export const STAGED_UPLOADS_EXPIRY = { id: 'expire-staged-uploads', prefix: STAGED_UPLOADS_PREFIX, expirationDays: 1 };

/** A page of listNotes (at most 100 notes) signs all its attachments in one invocation. */
const DOWNLOAD_URL_BATCH_SIZE = 100;

const unit = (typeName: string, fieldName: string, dataSource: string): ResolverDefinition => ({
  kind: 'UNIT',
  typeName,
  fieldName,
  dataSource,
  code: `resolvers/${typeName}.${fieldName}.ts`,
});

const pipeline = (typeName: string, fieldName: string, functions: string[]): ResolverDefinition => ({
  kind: 'PIPELINE',
  typeName,
  fieldName,
  functions,
  code: `resolvers/${typeName}.${fieldName}.ts`,
});

export const apiDefinition: ApiDefinition = {
  name: 'notes-api',
  schema: 'schema.graphql',
  // IAM is for the API itself: its mutations publish each change through publishNoteChange, the one @aws_iam field.
  auth: { default: 'AMAZON_COGNITO_USER_POOLS', additional: ['AWS_IAM'] },
  // The deepest legitimate query (listNotes.items.attachment.downloadUrl) is 4 levels; the rest is headroom for
  // fragments and tooling.
  queryDepthLimit: 10,
  // A page of listNotes with every attachment's download URL is 3 resolver runs (listNotes, one batched
  // downloadUrl per page, the list itself); 1,000 leaves room for clients batching operations and stops
  // aliased floods long before AppSync's default of 10,000 (issue 8).
  resolverCountLimit: 1000,
  dataSources: {
    [NOTES_TABLE]: {
      type: 'AMAZON_DYNAMODB',
      table: {
        name: 'notes',
        partitionKey: { name: 'userId', type: 'S' },
        sortKey: { name: 'noteId', type: 'S' },
      },
      // What the resolvers send (test/infra/dynamodb-operations.test.ts checks it); the role allows nothing else.
      operations: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    },
    // Uploads land in the staging prefix; attaching copies one to the note's own key under `private/`.
    createUploadUrl: {
      type: 'AWS_LAMBDA',
      handler: 'functions/create-upload-url.ts',
      bucketGrants: [{ actions: ['s3:PutObject'], prefix: STAGED_UPLOADS_PREFIX }],
    },
    // CopyObject needs s3:GetObject on the source and s3:PutObject on the copy; HeadObject is s3:GetObject.
    attachUpload: {
      type: 'AWS_LAMBDA',
      handler: 'functions/attach-upload.ts',
      bucketGrants: [
        { actions: ['s3:GetObject'], prefix: STAGED_UPLOADS_PREFIX },
        { actions: ['s3:GetObject', 's3:PutObject'], prefix: NOTE_FILES_PREFIX },
      ],
    },
    // Listing only to find every file of a deleted note under its own prefix.
    deleteAttachment: {
      type: 'AWS_LAMBDA',
      handler: 'functions/delete-attachment.ts',
      bucketGrants: [
        { actions: ['s3:DeleteObject'], prefix: STAGED_UPLOADS_PREFIX },
        { actions: ['s3:DeleteObject', 's3:ListBucket'], prefix: NOTE_FILES_PREFIX },
      ],
    },
    attachmentDownloadUrls: {
      type: 'AWS_LAMBDA',
      handler: 'functions/attachment-download-urls.ts',
      bucketGrants: [{ actions: ['s3:GetObject'], prefix: NOTE_FILES_PREFIX }],
    },
    // The API itself, signed with IAM (the data source's role), to publish each committed change through
    // publishNoteChange, whatever the mutating client selected.
    noteChanges: {
      type: 'HTTP',
      endpoint: 'self',
      authorizationConfig: { signingServiceName: 'appsync' },
      grantedFields: ['Mutation.publishNoteChange'],
    },
    // Resolvers that only shape data or set subscription filters and invalidations.
    none: { type: 'NONE' },
  },
  functions: {
    attachUpload: { dataSource: 'attachUpload', code: 'resolvers/functions/attachUpload.ts' },
    putNoteItem: { dataSource: NOTES_TABLE, code: 'resolvers/functions/putNoteItem.ts' },
    readNoteForRetriedCreate: { dataSource: NOTES_TABLE, code: 'resolvers/functions/readNoteForRetriedCreate.ts' },
    getNoteItemForUpdate: { dataSource: NOTES_TABLE, code: 'resolvers/functions/getNoteItemForUpdate.ts' },
    updateNoteItem: { dataSource: NOTES_TABLE, code: 'resolvers/functions/updateNoteItem.ts' },
    readNoteAfterFailedUpdate: {
      dataSource: NOTES_TABLE,
      code: 'resolvers/functions/readNoteAfterFailedUpdate.ts',
    },
    deleteNoteItem: { dataSource: NOTES_TABLE, code: 'resolvers/functions/deleteNoteItem.ts' },
    deleteUnusedFiles: { dataSource: 'deleteAttachment', code: 'resolvers/functions/deleteUnusedFiles.ts' },
    publishNoteChange: { dataSource: 'noteChanges', code: 'resolvers/functions/publishNoteChange.ts' },
  },
  resolvers: [
    unit('Query', 'getNote', NOTES_TABLE),
    unit('Query', 'listNotes', NOTES_TABLE),
    // Each write ends by publishing what it committed (skipped for a replayed createNote, which changed nothing).
    pipeline('Mutation', 'createNote', [
      'attachUpload',
      'putNoteItem',
      'readNoteForRetriedCreate',
      'deleteUnusedFiles',
      'publishNoteChange',
    ]),
    pipeline('Mutation', 'updateNote', [
      'getNoteItemForUpdate',
      'attachUpload',
      'updateNoteItem',
      'readNoteAfterFailedUpdate',
      'deleteUnusedFiles',
      'publishNoteChange',
    ]),
    pipeline('Mutation', 'deleteNote', ['deleteNoteItem', 'deleteUnusedFiles', 'publishNoteChange']),
    unit('Mutation', 'createUploadUrl', 'createUploadUrl'),
    { ...unit('Attachment', 'downloadUrl', 'attachmentDownloadUrls'), maxBatchSize: DOWNLOAD_URL_BATCH_SIZE },
    unit('Mutation', 'closeNoteSubscriptions', 'none'),
    unit('Mutation', 'publishNoteChange', 'none'),
    unit('Subscription', 'onNoteChange', 'none'),
  ],
};
