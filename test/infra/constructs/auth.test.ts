import { Match } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { buildNotesStack } from '../../helpers/notes-stack';

const dev = buildNotesStack({ stage: 'dev' });
const prod = buildNotesStack({ stage: 'prod' });
const POOL = 'AWS::Cognito::UserPool';
const CLIENT = 'AWS::Cognito::UserPoolClient';

describe('Auth', () => {
  it('signs people in with their email address', () => {
    dev.template.hasResourceProperties(POOL, { UsernameAttributes: ['email'] });
  });

  it('lets people sign themselves up', () => {
    dev.template.hasResourceProperties(POOL, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } });
  });

  it('verifies email addresses', () => {
    dev.template.hasResourceProperties(POOL, { AutoVerifiedAttributes: ['email'] });
  });

  it('requires a strong password', () => {
    dev.template.hasResourceProperties(POOL, {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('recovers accounts by verified email only', () => {
    dev.template.hasResourceProperties(POOL, {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('offers TOTP multi-factor sign-in', () => {
    dev.template.hasResourceProperties(POOL, { MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  it('protects the prod user pool from deletion', () => {
    prod.template.hasResourceProperties(POOL, { DeletionProtection: 'ACTIVE' });
  });

  it('gives the app client no secret, as browsers and phones cannot keep one', () => {
    dev.template.hasResourceProperties(CLIENT, { GenerateSecret: false });
  });

  it('allows SRP and user-password sign-in on the app client, and token refresh, nothing else', () => {
    dev.template.hasResourceProperties(CLIENT, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('turns off the hosted-UI OAuth flows the app does not use', () => {
    dev.template.hasResourceProperties(CLIENT, { AllowedOAuthFlows: Match.absent(), CallbackURLs: Match.absent() });
  });

  it('hides whether an account exists from sign-in errors', () => {
    dev.template.hasResourceProperties(CLIENT, { PreventUserExistenceErrors: 'ENABLED' });
  });
});
