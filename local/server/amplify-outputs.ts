// Amplify Gen 2's outputs file, `amplify_outputs.json`: where a client finds an API, its user pool and its bucket.
// Amplify JS (`Amplify.configure(outputs)`), Amplify Swift, Android and Flutter read it as it is; the SDK and the web
// app read the same fields. The local server writes one per run into its data folder and serves it; `npm run deploy`
// writes the stack's (see infra/notes-stack.ts and scripts/amplify-outputs.ts).
import type { AuthMode } from '../definition';

/**
 * The outputs schema version. Amplify JS treats any `1.x` as this format (isAmplifyOutputs in
 * @aws-amplify/core's parseAmplifyOutputs); 1.4 is the newest the Amplify backend writes
 * (https://github.com/aws-amplify/amplify-backend/blob/main/packages/client-config/CHANGELOG.md, "client config v1.4").
 */
export const AMPLIFY_OUTPUTS_VERSION = '1.4';
export const AMPLIFY_OUTPUTS_FILE = 'amplify_outputs.json';

export interface AmplifyOutputs {
  version: string;
  data?: {
    url: string;
    aws_region: string;
    default_authorization_type: AuthMode;
    /** The additional modes, as the Amplify backend lists them (the default is not repeated). */
    authorization_types: AuthMode[];
    api_key?: string;
  };
  auth?: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    username_attributes?: Array<'email' | 'phone_number' | 'username'>;
    user_verification_types?: Array<'email' | 'phone_number'>;
    standard_required_attributes?: string[];
    mfa_configuration?: 'NONE' | 'OPTIONAL' | 'REQUIRED';
    mfa_methods?: Array<'SMS' | 'TOTP'>;
    password_policy?: {
      min_length: number;
      require_lowercase: boolean;
      require_uppercase: boolean;
      require_numbers: boolean;
      require_symbols: boolean;
    };
  };
  storage?: { aws_region: string; bucket_name: string };
  /** Anything else; Amplify JS ignores all of it but `custom.events`. */
  custom?: {
    /** The local user pool's address (Cognito's own endpoint is derived from the region, so AWS needs none). */
    user_pool_endpoint?: string;
    [key: string]: unknown;
  };
}

export interface LocalOutputsSources {
  auth: { default: AuthMode; additional?: AuthMode[] };
  region: string;
  /** The advertised GraphQL URL (`http://<public host>:<port>/graphql`). */
  graphqlUrl: string;
  apiKey?: string;
  userPool?: {
    id: string;
    clientId: string;
    region: string;
    /** The advertised pool endpoint. */
    endpoint: string;
    passwordPolicy?: NonNullable<AmplifyOutputs['auth']>['password_policy'];
  };
  bucket?: { name: string; region: string };
}

/** The outputs file for a locally served API: only the sections it has. */
export function localAmplifyOutputs(sources: LocalOutputsSources): AmplifyOutputs {
  const { auth, region, userPool, bucket } = sources;
  const additional = (auth.additional ?? []).filter((mode) => mode !== auth.default);
  const outputs: AmplifyOutputs = {
    version: AMPLIFY_OUTPUTS_VERSION,
    data: {
      url: sources.graphqlUrl,
      aws_region: region,
      default_authorization_type: auth.default,
      authorization_types: [...new Set(additional)],
      ...(sources.apiKey !== undefined ? { api_key: sources.apiKey } : {}),
    },
  };
  if (userPool) {
    outputs.auth = {
      aws_region: userPool.region,
      user_pool_id: userPool.id,
      user_pool_client_id: userPool.clientId,
      // The local pool signs people in by email and confirms them by an emailed code.
      username_attributes: ['email'],
      user_verification_types: ['email'],
      standard_required_attributes: ['email'],
      ...(userPool.passwordPolicy ? { password_policy: userPool.passwordPolicy } : {}),
    };
    outputs.custom = { user_pool_endpoint: userPool.endpoint };
  }
  if (bucket) outputs.storage = { aws_region: bucket.region, bucket_name: bucket.name };
  return outputs;
}
