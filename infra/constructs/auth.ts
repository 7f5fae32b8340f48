// Who may call the API: a Cognito user pool that people join themselves with a verified email, and the public app
// client (no secret) that web and mobile apps sign in through.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool,
  UserPoolEmail,
  type IUserPool,
  type IUserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PASSWORD_POLICY, TEMPORARY_PASSWORD_VALIDITY_DAYS } from '../password-policy';

export interface AuthProps {
  /** Keep the pool (and refuse its deletion) when the stack goes: for the production stage. */
  retain: boolean;
  /** Production: sign-in by SRP only, so passwords never travel to Cognito (no USER_PASSWORD_AUTH). */
  srpOnly?: boolean;
  /**
   * Send Cognito's email (sign-up codes, password resets) through SES from this verified address. Without it Cognito's
   * own sender is used, which allows only about 50 messages a day: too few for open sign-up in production.
   */
  sesEmail?: { fromEmail: string; fromName?: string; replyTo?: string; sesRegion?: string };
}

export class Auth extends Construct {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        ...PASSWORD_POLICY,
        tempPasswordValidity: Duration.days(TEMPORARY_PASSWORD_VALIDITY_DAYS),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Chosen, not defaulted: Essentials (MFA, password policy, token revocation) without Plus's paid threat protection.
      featurePlan: FeaturePlan.ESSENTIALS,
      ...(props.sesEmail
        ? {
            email: UserPoolEmail.withSES({
              fromEmail: props.sesEmail.fromEmail,
              fromName: props.sesEmail.fromName,
              replyTo: props.sesEmail.replyTo,
              sesRegion: props.sesEmail.sesRegion,
            }),
          }
        : {}),
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.userPool = userPool;
    this.userPoolClient = userPool.addClient('AppClient', {
      generateSecret: false,
      // Outside production USER_PASSWORD_AUTH stays for scripts and the local pool's clients.
      authFlows: props.srpOnly ? { userSrp: true } : { userSrp: true, userPassword: true },
      // No hosted UI: CDK would otherwise enable the implicit grant with a placeholder callback URL.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
  }
}
