import type { Stack } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOOLKIT_STACK_NAME,
  REQUIRED_BOOTSTRAP_VERSION,
  bootstrapState,
  parseDeployArgs,
} from '../../scripts/deploy';
import { buildNotesStack } from '../helpers/notes-stack';

/** A toolkit stack as DescribeStacks returns it (the fields bootstrapState reads). */
function toolkitStack(status: string, version?: string): Stack {
  return {
    StackName: 'CDKToolkit',
    StackStatus: status,
    CreationTime: new Date(),
    ...(version === undefined ? {} : { Outputs: [{ OutputKey: 'BootstrapVersion', OutputValue: version }] }),
  } as Stack;
}

// Synthesizing takes seconds on a busy machine: once, outside the tests' time limit (as the other infra tests do).
const { template } = buildNotesStack();

describe('npm run deploy: bootstrapping when needed', () => {
  it('needs the version the synthesized template itself checks for', () => {
    // CDK renders the check as: fail when BootstrapVersion is one of the versions listed.
    const rule = template.toJSON().Rules.CheckBootstrapVersion as {
      Assertions: Array<{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [string[], unknown] }] } }>;
    };
    const refused = rule.Assertions[0].Assert['Fn::Not'][0]['Fn::Contains'][0].map(Number);
    expect(Math.max(...refused) + 1).toBe(REQUIRED_BOOTSTRAP_VERSION);
  });

  it('bootstraps an account or region without a toolkit stack', () => {
    expect(bootstrapState(undefined)).toEqual({ kind: 'missing' });
  });

  it('bootstraps over a toolkit stack whose creation failed or never ran', () => {
    expect(bootstrapState(toolkitStack('ROLLBACK_COMPLETE'))).toEqual({ kind: 'missing' });
    expect(bootstrapState(toolkitStack('REVIEW_IN_PROGRESS'))).toEqual({ kind: 'missing' });
  });

  it('updates a toolkit stack older than the templates need', () => {
    expect(bootstrapState(toolkitStack('CREATE_COMPLETE', '5'))).toEqual({ kind: 'outdated', version: 5 });
    expect(bootstrapState(toolkitStack('UPDATE_COMPLETE'))).toEqual({ kind: 'outdated', version: 0 });
  });

  it('leaves a current toolkit stack alone', () => {
    expect(bootstrapState(toolkitStack('UPDATE_COMPLETE', '30'))).toEqual({ kind: 'ready', version: 30 });
    expect(bootstrapState(toolkitStack('UPDATE_ROLLBACK_COMPLETE', '6'))).toEqual({ kind: 'ready', version: 6 });
  });

  it('waits for a toolkit stack that is changing', () => {
    expect(bootstrapState(toolkitStack('UPDATE_IN_PROGRESS', '29'))).toEqual({
      kind: 'busy',
      status: 'UPDATE_IN_PROGRESS',
    });
  });

  it('bootstraps with the profile and toolkit stack the deploy names, and passes every option on', () => {
    const args = ['-c', 'stage=prod', '--require-approval', 'never', '--profile', 'ci', '--toolkit-stack-name=Tk'];
    expect(parseDeployArgs(args)).toEqual({ profile: 'ci', toolkitStackName: 'Tk', deployArgs: args });
    const plain = parseDeployArgs(['--require-approval', 'never']);
    expect(plain.toolkitStackName).toBe(DEFAULT_TOOLKIT_STACK_NAME);
    expect(plain.deployArgs).toEqual(['--require-approval', 'never']);
  });
});
