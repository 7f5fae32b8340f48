// amplify_outputs.json for a deployed stack, from the outputs file `cdk deploy --outputs-file` writes: the stack's
// AmplifyOutputs output holds the whole document (infra/notes-stack.ts), so it is the same file the web construct
// deploys beside the app.
import { AMPLIFY_OUTPUTS_VERSION, type AmplifyOutputs } from '../local/server/amplify-outputs';
import { AMPLIFY_OUTPUTS_KEY } from './notes-stack';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The named stack's outputs document, or the only stack's; a clear error naming what is missing otherwise. */
export function amplifyOutputsFromCdkOutputs(
  cdkOutputs: unknown,
  source: string,
  stackName?: string,
): { stackName: string; outputs: AmplifyOutputs } {
  if (!isRecord(cdkOutputs)) throw new Error(`${source} is not a cdk outputs file (an object of stacks)`);
  const stacks = Object.keys(cdkOutputs);
  const chosen = stackName ?? (stacks.length === 1 ? stacks[0] : undefined);
  if (!chosen) throw new Error(`${source} holds ${stacks.length} stacks (${stacks.join(', ')}): name one with --stack`);
  const values = cdkOutputs[chosen];
  if (!isRecord(values)) throw new Error(`${source} has no outputs for stack ${chosen}`);
  const document = values[AMPLIFY_OUTPUTS_KEY];
  if (typeof document !== 'string') {
    throw new Error(`${source}: stack ${chosen} has no ${AMPLIFY_OUTPUTS_KEY} output (deployed before it existed?)`);
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(document);
  } catch {
    throw new Error(`${source}: stack ${chosen}'s ${AMPLIFY_OUTPUTS_KEY} output is not JSON`);
  }
  if (!isRecord(outputs) || outputs.version !== AMPLIFY_OUTPUTS_VERSION) {
    throw new Error(`${source}: stack ${chosen}'s ${AMPLIFY_OUTPUTS_KEY} is not an outputs document`);
  }
  return { stackName: chosen, outputs: outputs as unknown as AmplifyOutputs };
}
