// `npm run deploy [-- <cdk deploy options>]`: deploys the stack, bootstrapping the target account and region first
// when CDK's bootstrap stack is missing or too old for the synthesized templates, so a new account or region needs no
// separate step. Account and region come from the usual AWS settings (AWS_PROFILE or `--profile`, AWS_REGION). It ends
// by writing cdk-outputs.json and amplify_outputs.json (scripts/amplify-outputs.ts).
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { writeAmplifyOutputs } from './amplify-outputs';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';

/**
 * The oldest bootstrap version our templates deploy with: CDK adds a CheckBootstrapVersion rule to every synthesized
 * template that refuses versions 1 to 5 (test/scripts/deploy.test.ts reads it from a real synth).
 */
export const REQUIRED_BOOTSTRAP_VERSION = 6;
export const DEFAULT_TOOLKIT_STACK_NAME = 'CDKToolkit';

export type BootstrapState =
  | { kind: 'ready'; version: number }
  | { kind: 'missing' }
  | { kind: 'outdated'; version: number }
  | { kind: 'busy'; status: string };

/** What the toolkit stack (DescribeStacks' answer, or undefined when there is none) says about the environment. */
export function bootstrapState(stack: Stack | undefined): BootstrapState {
  const status = stack?.StackStatus;
  // A stack whose creation failed or that is being deleted bootstraps nothing; `cdk bootstrap` replaces it.
  if (!stack || status === 'DELETE_COMPLETE' || status === 'ROLLBACK_COMPLETE' || status === 'REVIEW_IN_PROGRESS') {
    return { kind: 'missing' };
  }
  if (status === undefined || status.endsWith('_IN_PROGRESS')) {
    return { kind: 'busy', status: status ?? 'unknown' };
  }
  const output = stack.Outputs?.find((candidate) => candidate.OutputKey === 'BootstrapVersion');
  const version = Number(output?.OutputValue);
  if (!Number.isInteger(version)) {
    return { kind: 'outdated', version: 0 };
  }
  return version >= REQUIRED_BOOTSTRAP_VERSION ? { kind: 'ready', version } : { kind: 'outdated', version };
}

/** The options of ours that `cdk bootstrap` must see too (which credentials, which toolkit stack). */
export interface DeployOptions {
  profile?: string;
  toolkitStackName: string;
  /** Everything given, passed to `cdk deploy` unchanged. */
  deployArgs: string[];
}

export function parseDeployArgs(args: readonly string[]): DeployOptions {
  const valueOf = (name: string): string | undefined => {
    for (let index = 0; index < args.length; index += 1) {
      const arg = args[index];
      if (arg === `--${name}`) return args[index + 1];
      if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
    }
    return undefined;
  };
  return {
    profile: valueOf('profile') ?? process.env.AWS_PROFILE,
    toolkitStackName: valueOf('toolkit-stack-name') ?? DEFAULT_TOOLKIT_STACK_NAME,
    deployArgs: [...args],
  };
}

async function describeToolkitStack(options: DeployOptions): Promise<Stack | undefined> {
  const client = new CloudFormationClient({
    ...(options.profile ? { profile: options.profile } : {}),
    // The CDK CLI honours AWS_DEFAULT_REGION as well; the SDK alone reads only AWS_REGION and the profile.
    ...(process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION
      ? { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION }
      : {}),
  });
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: options.toolkitStackName }));
    return answer.Stacks?.[0];
  } catch (error) {
    // CloudFormation reports a stack that does not exist as a ValidationError naming it.
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) {
      return undefined;
    }
    throw error;
  } finally {
    client.destroy();
  }
}

function cdk(args: string[]): void {
  const run = spawnSync('cdk', args, { stdio: 'inherit' });
  if (run.error) throw run.error;
  if (run.status !== 0) process.exit(run.status ?? 1);
}

async function main(args: string[]): Promise<void> {
  const options = parseDeployArgs(args);
  const shared = [
    ...(options.profile ? ['--profile', options.profile] : []),
    '--toolkit-stack-name',
    options.toolkitStackName,
  ];
  const state = bootstrapState(await describeToolkitStack(options));
  if (state.kind === 'busy') {
    throw new Error(`The bootstrap stack ${options.toolkitStackName} is ${state.status}; deploy again when it is done`);
  }
  if (state.kind !== 'ready') {
    console.log(
      state.kind === 'missing'
        ? `This account and region are not bootstrapped for CDK yet: running cdk bootstrap first.`
        : `The bootstrap stack is version ${state.version}, older than the ${REQUIRED_BOOTSTRAP_VERSION} our ` +
            `templates need: running cdk bootstrap to update it.`,
    );
    cdk(['bootstrap', ...shared]);
  }
  cdk(['deploy', '--outputs-file', 'cdk-outputs.json', ...options.deployArgs]);
  // The same amplify_outputs.json the app finds beside it, for other apps (mobile, scripts) to read.
  await writeAmplifyOutputs({ outputs: 'cdk-outputs.json' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
