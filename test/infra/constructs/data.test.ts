import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Data } from '../../../infra/constructs/data';
import type { KeyAttribute } from '../../../local/definition';
import { buildNotesStack } from '../../helpers/notes-stack';

const dev = buildNotesStack({ stage: 'dev' });
const prod = buildNotesStack({ stage: 'prod' });
const TABLE = 'AWS::DynamoDB::Table';

describe('Data', () => {
  it('keys the notes table by userId and noteId, as the API definition says', () => {
    dev.template.hasResourceProperties(TABLE, {
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'noteId', KeyType: 'RANGE' },
      ],
    });
  });

  it('declares both keys as strings', () => {
    dev.template.hasResourceProperties(TABLE, {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'userId', AttributeType: 'S' },
        { AttributeName: 'noteId', AttributeType: 'S' },
      ]),
    });
  });

  it('creates exactly one table', () => {
    dev.template.resourceCountIs(TABLE, 1);
  });

  it('bills on demand', () => {
    dev.template.hasResourceProperties(TABLE, { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('turns on point-in-time recovery', () => {
    dev.template.hasResourceProperties(TABLE, {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('encrypts with an AWS-managed key', () => {
    dev.template.hasResourceProperties(TABLE, { SSESpecification: { SSEEnabled: true } });
  });

  it('protects the table from deletion in prod', () => {
    prod.template.hasResourceProperties(TABLE, { DeletionProtectionEnabled: true });
  });

  it('retains the table when the prod stack is deleted', () => {
    prod.template.hasResource(TABLE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('lets a dev table go with its stack', () => {
    dev.template.hasResource(TABLE, { DeletionPolicy: 'Delete' });
  });

  it('leaves deletion protection off outside prod', () => {
    dev.template.hasResourceProperties(TABLE, { DeletionProtectionEnabled: false });
  });

  it('gives the table a generated physical name', () => {
    dev.template.hasResourceProperties(TABLE, { TableName: Match.absent() });
  });

  it('adds the global secondary indexes and time-to-live a definition asks for', () => {
    const stack = new Stack(new App(), 'Tables');
    new Data(stack, 'Data', {
      retain: false,
      table: {
        name: 'events',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'at', type: 'N' },
        globalSecondaryIndexes: [{ indexName: 'byKind', partitionKey: { name: 'kind', type: 'S' } }],
        timeToLiveAttribute: 'expiresAt',
      },
    });
    Template.fromStack(stack).hasResourceProperties(TABLE, {
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }] }),
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('rejects a key type DynamoDB does not have', () => {
    const stack = new Stack(new App(), 'Tables');
    const badKey = { name: 'pk', type: 'BOOL' } as unknown as KeyAttribute;
    expect(() => new Data(stack, 'Data', { retain: false, table: { name: 't', partitionKey: badKey } })).toThrow(
      'Key pk has type BOOL; DynamoDB keys are S, N or B',
    );
  });
});
