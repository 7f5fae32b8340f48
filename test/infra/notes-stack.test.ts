import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { apiDefinition } from '../../infra/api-definition';
import { NotesStack, tablesOf } from '../../infra/notes-stack';
import { buildNotesStack, logicalIdOf, PROJECT_ROOT, TEST_WEB_ORIGINS } from '../helpers/notes-stack';

const dev = buildNotesStack({ stage: 'dev' });
const prod = buildNotesStack({ stage: 'prod' });

function outputValue(name: string): unknown {
  return (dev.template.findOutputs(name)[name] as { Value: unknown } | undefined)?.Value;
}

describe('NotesStack', () => {
  it('outputs the GraphQL URL', () => {
    expect(outputValue('GraphQLUrl')).toEqual({
      'Fn::GetAtt': [logicalIdOf(dev, dev.stack.api.api), 'GraphQLUrl'],
    });
  });

  it('outputs the region', () => {
    expect(outputValue('Region')).toEqual({ Ref: 'AWS::Region' });
  });

  it('outputs the user pool id', () => {
    expect(outputValue('UserPoolId')).toEqual({ Ref: logicalIdOf(dev, dev.stack.auth.userPool) });
  });

  it('outputs the app client id', () => {
    expect(outputValue('UserPoolClientId')).toEqual({ Ref: logicalIdOf(dev, dev.stack.auth.userPoolClient) });
  });

  it('outputs the attachments bucket', () => {
    expect(outputValue('AttachmentsBucket')).toEqual({ Ref: logicalIdOf(dev, dev.stack.storage.bucket) });
  });

  it('passes the cdk-nag AwsSolutions checks in dev', () => {
    const report = new AwsSolutionsChecks(dev.app).validateScope(dev.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('passes the cdk-nag AwsSolutions checks in prod', () => {
    const report = new AwsSolutionsChecks(prod.app).validateScope(prod.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('passes the cdk-nag AwsSolutions checks with a concrete account and region', () => {
    // Findings are named by rendered ARNs, which carry literals instead of pseudo parameters here.
    const pinned = buildNotesStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    const report = new AwsSolutionsChecks(pinned.app).validateScope(pinned.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('gives every acknowledged cdk-nag finding a reason', () => {
    const acknowledgements = dev.stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.values(entry.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    expect(acknowledgements.filter((reason) => typeof reason !== 'string' || reason.trim().length < 20)).toEqual([]);
  });

  it('still reports a finding nobody acknowledged', () => {
    // The checks can fail: a queue with no dead-letter queue and no TLS policy trips them.
    const stack = new Stack(new App(), 'Unchecked');
    new Queue(stack, 'Queue');
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((violation) => violation.ruleName)).toContain('AwsSolutions-SQS3');
  });

  // `cdk synth` checks every template with CloudFormation's own validation engine, and reports what it finds as
  // warnings unless the app opts in to errors. npm test turns that default check off (vitest.config.ts: starting the
  // engine cost seconds in every file that synthesizes a stack); here it runs, its findings as errors.
  // One engine for both checks: starting it is most of their time, again for each new set of resource types.
  const validation = new CloudFormationValidatePlugin();
  function synthesizeValidated(build: (app: App) => Stack): void {
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': true },
    });
    Validations.of(app).addPlugins(validation);
    Template.fromStack(build(app));
  }

  // Starting the engine takes seconds, over 20 on a loaded machine.
  it('passes CloudFormation template validation in dev and in prod', { timeout: 120_000 }, () => {
    // Both stages in one app: one synthesis validates both templates.
    const build = (app: App) => {
      const stacks = ['dev', 'prod'].map(
        (stage) =>
          new NotesStack(app, `Notes-${stage}`, {
            stage,
            webOrigins: TEST_WEB_ORIGINS,
            definition: apiDefinition,
            projectRoot: PROJECT_ROOT,
          }),
      );
      return stacks[0];
    };
    expect(() => synthesizeValidated(build)).not.toThrow();
  });

  it('fails CloudFormation template validation on a property the resource does not have', () => {
    const build = (app: App) => {
      const stack = new Stack(app, 'Invalid');
      new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: true } });
      return stack;
    };
    expect(() => synthesizeValidated(build)).toThrow(/NoSuchProperty/);
  });

  it('rejects a stage name that cannot be part of resource names', () => {
    expect(() => buildNotesStack({ stage: 'Prod Stage' })).toThrow(
      'stage "Prod Stage" must be lower-case letters, digits and dashes',
    );
  });

  it('rejects a table declared twice with different keys', () => {
    const definition = structuredClone(apiDefinition);
    definition.dataSources.other = {
      type: 'AMAZON_DYNAMODB',
      table: { name: 'notes', partitionKey: { name: 'ownerId', type: 'S' } },
    };
    expect(() => tablesOf(definition)).toThrow('Table notes is declared twice with different keys');
  });
});
