// Builders for the events AppSync sends a Lambda data source, shaped like the resolvers' payload
// (`{ arguments, identity, source, info }`) plus the fields @types/aws-lambda declares.
import type { AppSyncIdentityCognito, AppSyncResolverEvent } from 'aws-lambda';

export const OWNER_SUB = '3f9c2d8e-1b4a-4c6e-9f1d-7a2b5c8e0d14';
export const OTHER_SUB = 'a71e0c55-6d2f-4e8b-b3c9-0f4d2e6a9b37';

export function cognitoIdentity(sub: string = OWNER_SUB): AppSyncIdentityCognito {
  return {
    sub,
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
    username: sub,
    claims: { sub, token_use: 'access' },
    sourceIp: ['203.0.113.7'],
    defaultAuthStrategy: 'ALLOW',
    groups: null,
  };
}

export function resolverEvent<TArguments, TSource = null>(options: {
  arguments: TArguments;
  identity?: AppSyncResolverEvent<TArguments>['identity'];
  source?: TSource;
  parentTypeName?: string;
  fieldName?: string;
}): AppSyncResolverEvent<TArguments, TSource> {
  return {
    arguments: options.arguments,
    identity: 'identity' in options ? options.identity : cognitoIdentity(),
    source: (options.source ?? null) as TSource,
    request: { headers: {}, domainName: null },
    info: {
      selectionSetList: [],
      selectionSetGraphQL: '',
      parentTypeName: options.parentTypeName ?? 'Mutation',
      fieldName: options.fieldName ?? 'field',
      variables: {},
    },
    prev: null,
    stash: {},
  };
}
