// `npm run deploy` writes amplify_outputs.json from the stack's AmplifyOutputs output: the document survives
// CloudFormation (the output, resolved as CloudFormation would, is JSON that Amplify JS v6 configures itself from),
// and it has the fields the local server's file has, so an app reads either the same way.
import { Amplify } from 'aws-amplify';
import { describe, expect, it } from 'vitest';
import { AMPLIFY_OUTPUTS_KEY } from '../../infra/notes-stack';
import { amplifyOutputsFromCdkOutputs } from '../../infra/outputs-file';
import { localAmplifyOutputs } from '../../local/server/amplify-outputs';
import { buildNotesStack } from '../helpers/notes-stack';

const REGION = 'eu-west-1';
const built = buildNotesStack({ env: { account: '123456789012', region: REGION } });

/** What CloudFormation puts in cdk-outputs.json for an output: Ref, Fn::GetAtt and Fn::Join resolved. */
function resolveAsCloudFormation(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Ref' in intrinsic) return `ref:${String(intrinsic.Ref)}`;
  if ('Fn::GetAtt' in intrinsic) return `att:${(intrinsic['Fn::GetAtt'] as string[]).join('.')}`;
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveAsCloudFormation).join(separator);
  }
  throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
}

function deployedOutputsFile(): Record<string, Record<string, string>> {
  const outputs = built.template.findOutputs('*');
  const values = Object.fromEntries(
    Object.entries(outputs).map(([key, output]) => [key, resolveAsCloudFormation(output.Value)]),
  );
  return { 'Notes-test': values };
}

describe('amplify_outputs.json from a deployment', () => {
  const { stackName, outputs } = amplifyOutputsFromCdkOutputs(deployedOutputsFile(), 'cdk-outputs.json');

  it('is the stack’s outputs document, with the deployed ids in it', () => {
    expect(stackName).toBe('Notes-test');
    expect(outputs.version).toBe('1.4');
    expect(outputs.data).toEqual({
      url: expect.stringMatching(/^att:Api\w+\.GraphQLUrl$/),
      aws_region: REGION,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['AWS_IAM'],
    });
    expect(outputs.auth).toMatchObject({
      aws_region: REGION,
      user_pool_id: expect.stringMatching(/^ref:AuthUserPool\w+$/),
      user_pool_client_id: expect.stringMatching(/^ref:AuthUserPoolAppClient\w+$/),
      password_policy: { min_length: 12 },
    });
    expect(outputs.storage).toEqual({ aws_region: REGION, bucket_name: expect.stringMatching(/^ref:Storage\w+$/) });
  });

  it('is what Amplify JS v6 configures itself from', () => {
    Amplify.configure(outputs);
    const config = Amplify.getConfig();
    expect(config.API?.GraphQL).toMatchObject({ endpoint: outputs.data!.url, defaultAuthMode: 'userPool' });
    expect(config.Auth?.Cognito).toMatchObject({
      userPoolId: outputs.auth!.user_pool_id,
      userPoolClientId: outputs.auth!.user_pool_client_id,
      mfa: { status: 'optional', totpEnabled: true },
      passwordFormat: { minLength: 12, requireSpecialCharacters: true },
    });
    expect(config.Storage?.S3).toMatchObject({ bucket: outputs.storage!.bucket_name, region: REGION });
  });

  it('has every field the local file has (but the local pool endpoint, which AWS derives from the region)', () => {
    const local = localAmplifyOutputs({
      auth: { default: 'AMAZON_COGNITO_USER_POOLS', additional: ['AWS_IAM'] },
      region: 'us-east-1',
      graphqlUrl: 'http://127.0.0.1:4000/graphql',
      userPool: {
        id: 'local_x',
        clientId: 'c',
        region: 'local',
        endpoint: 'http://127.0.0.1:4001',
        passwordPolicy: {
          min_length: 8,
          require_lowercase: true,
          require_uppercase: true,
          require_numbers: true,
          require_symbols: true,
        },
      },
      bucket: { name: 'notes-uploads-local', region: 'us-east-1' },
    });
    const { custom, ...shared } = local;
    expect(custom).toEqual({ user_pool_endpoint: 'http://127.0.0.1:4001' });
    for (const [section, fields] of Object.entries(shared)) {
      if (typeof fields !== 'object') continue;
      const deployed = (outputs as unknown as Record<string, Record<string, unknown>>)[section];
      expect(Object.keys(deployed), section).toEqual(expect.arrayContaining(Object.keys(fields)));
    }
  });

  it('names what is missing when the file cannot be used', () => {
    expect(() => amplifyOutputsFromCdkOutputs({ A: {}, B: {} }, 'f.json')).toThrow(
      'f.json holds 2 stacks (A, B): name one with --stack',
    );
    expect(() => amplifyOutputsFromCdkOutputs({ A: { GraphQLUrl: 'x' } }, 'f.json')).toThrow(
      `f.json: stack A has no ${AMPLIFY_OUTPUTS_KEY} output (deployed before it existed?)`,
    );
    expect(() => amplifyOutputsFromCdkOutputs({ A: { [AMPLIFY_OUTPUTS_KEY]: '{' } }, 'f.json')).toThrow(
      `f.json: stack A's ${AMPLIFY_OUTPUTS_KEY} output is not JSON`,
    );
  });
});
