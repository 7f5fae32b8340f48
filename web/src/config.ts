// Where the app finds its backend, and its limits, in one place. Endpoints come from `/amplify_outputs.json`, served
// beside the app: by the local API in development, by CloudFront next to index.html on AWS (Amplify Gen 2's format).
export { ALLOWED_CONTENT_TYPES, MAX_ATTACHMENT_BYTES } from '@appsync-notes/client';

/** Notes per page of the list; "Load more" fetches the next page. */
export const PAGE_SIZE = 20;

export interface AppConfig {
  /** The GraphQL endpoint. */
  graphqlUrl: string;
  userPool: {
    /** The Cognito API: Cognito's regional endpoint, or the local pool's address (`custom.user_pool_endpoint`). */
    endpoint: string;
    region: string;
    userPoolId: string;
    clientId: string;
  };
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`amplify_outputs.json has no ${name}`);
  return value;
}

/** The fields the app needs from an Amplify outputs file; throws naming the first one missing. */
export function configFromOutputs(outputs: unknown): AppConfig {
  const file = (outputs ?? {}) as {
    data?: { url?: unknown };
    auth?: { aws_region?: unknown; user_pool_id?: unknown; user_pool_client_id?: unknown };
    custom?: { user_pool_endpoint?: unknown };
  };
  const region = text(file.auth?.aws_region, 'auth.aws_region');
  const custom = file.custom?.user_pool_endpoint;
  return {
    graphqlUrl: text(file.data?.url, 'data.url'),
    userPool: {
      endpoint: typeof custom === 'string' && custom !== '' ? custom : `https://cognito-idp.${region}.amazonaws.com/`,
      region,
      userPoolId: text(file.auth?.user_pool_id, 'auth.user_pool_id'),
      clientId: text(file.auth?.user_pool_client_id, 'auth.user_pool_client_id'),
    },
  };
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/amplify_outputs.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`/amplify_outputs.json answered HTTP ${response.status}`);
  return configFromOutputs(await response.json());
}
