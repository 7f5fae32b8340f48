// What makes the deployed stack safe by construction, stage by stage: which tokens the API accepts, how much one
// request and one address may do, how people sign in and how Cognito sends mail.
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_PER_5_MINUTES } from '../../infra/constructs/api';
import { buildNotesStack, logicalIdOf } from '../helpers/notes-stack';

const dev = buildNotesStack({ stage: 'dev' });
const prod = buildNotesStack({ stage: 'prod', sesEmail: { fromEmail: 'notes@example.com', sesRegion: 'eu-west-1' } });

function apiProperties(built: typeof dev): Record<string, unknown> {
  const [api] = Object.values(built.template.findResources('AWS::AppSync::GraphQLApi'));
  return api.Properties as Record<string, unknown>;
}

function clientFlows(built: typeof dev): string[] {
  const [client] = Object.values(built.template.findResources('AWS::Cognito::UserPoolClient'));
  return client.Properties.ExplicitAuthFlows as string[];
}

describe('deployed stack hardening', () => {
  it('accepts tokens of the one app client only (AppIdClientRegex)', () => {
    for (const built of [dev, prod]) {
      const pool = apiProperties(built).UserPoolConfig as { AppIdClientRegex: unknown };
      expect(pool.AppIdClientRegex).toEqual({
        'Fn::Join': ['', ['^', { Ref: logicalIdOf(built, built.stack.auth.userPoolClient) }, '$']],
      });
    }
  });

  it('limits every request to 1,000 resolvers', () => {
    expect(apiProperties(dev).ResolverCountLimit).toBe(1000);
    expect(apiProperties(prod).ResolverCountLimit).toBe(1000);
  });

  it('turns introspection off in prod only', () => {
    expect(apiProperties(prod).IntrospectionConfig).toBe('DISABLED');
    expect(apiProperties(dev).IntrospectionConfig).toBe('ENABLED');
  });

  it('puts a WAF rate-based rule per address in front of the prod API', () => {
    const acls = Object.values(prod.template.findResources('AWS::WAFv2::WebACL'));
    expect(acls).toHaveLength(1);
    expect(acls[0].Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        {
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: RATE_LIMIT_PER_5_MINUTES, AggregateKeyType: 'IP' } },
        },
      ],
    });
    const [association] = Object.values(prod.template.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association.Properties.ResourceArn).toEqual({
      'Fn::GetAtt': [logicalIdOf(prod, prod.stack.api.api), 'Arn'],
    });
    expect(Object.keys(dev.template.findResources('AWS::WAFv2::WebACL'))).toEqual([]);
  });

  it('signs in by SRP only in prod: no USER_PASSWORD_AUTH', () => {
    expect(clientFlows(prod)).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(clientFlows(prod)).toContain('ALLOW_USER_SRP_AUTH');
    expect(clientFlows(dev)).toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('chooses the Essentials feature plan explicitly', () => {
    for (const built of [dev, prod]) {
      built.template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    }
  });

  it('sends Cognito mail through SES when asked, and through Cognito otherwise', () => {
    prod.template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'notes@example.com',
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':identity/notes@example.com',
            ],
          ],
        },
      },
    });
    const [pool] = Object.values(dev.template.findResources('AWS::Cognito::UserPool'));
    // No EmailConfiguration: Cognito's own sender (COGNITO_DEFAULT).
    expect(pool.Properties.EmailConfiguration).toBeUndefined();
  });
});
