// Builds the notes stack for infra tests. Lambda bundling is skipped through CDK's own switch
// (`aws:cdk:bundling-stacks`, what `cdk deploy -e` uses for stacks it does not deploy) unless a test asks for it:
// bundling four functions costs seconds, and only the bundling test needs the output.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { apiDefinition } from '../../infra/api-definition';
import { NotesStack, type NotesStackProps } from '../../infra/notes-stack';

export const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;
export const TEST_WEB_ORIGINS = ['https://notes.example.com', 'https://beta.notes.example.com'];

export interface BuiltStack {
  app: App;
  stack: NotesStack;
  template: Template;
}

export function buildNotesStack(
  overrides: Partial<NotesStackProps> = {},
  options: { bundleLambdas?: boolean } = {},
): BuiltStack {
  const app = new App({
    context: options.bundleLambdas
      ? // Records each asset's folder on its resource, as the CLI does, so tests can open the bundles.
        { 'aws:cdk:enable-asset-metadata': true }
      : { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new NotesStack(app, 'Notes-test', {
    stage: 'dev',
    webOrigins: TEST_WEB_ORIGINS,
    definition: apiDefinition,
    projectRoot: PROJECT_ROOT,
    ...overrides,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id CloudFormation gives a construct's main resource. */
export function logicalIdOf(built: BuiltStack, construct: { node: { defaultChild?: unknown } }): string {
  const resource = construct.node.defaultChild;
  if (!resource || typeof resource !== 'object') {
    throw new Error('construct has no CloudFormation resource');
  }
  return built.stack.getLogicalId(resource as Parameters<NotesStack['getLogicalId']>[0]);
}
