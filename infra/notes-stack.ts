// The notes backend: auth, data, storage and the API, each its own construct, wired from the one API definition.
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { ApiDefinition, TableDefinition } from '../local/definition';
import { Api } from './constructs/api';
import { AMPLIFY_OUTPUTS_VERSION, type AmplifyOutputs } from '../local/server/amplify-outputs';
import { Auth, type AuthProps } from './constructs/auth';
import { PASSWORD_POLICY } from './password-policy';
import { Data } from './constructs/data';
import { Storage } from './constructs/storage';
import { Web, type WebProps } from './constructs/web';
import type { WebDomainSetting } from './web-domain';

export interface NotesStackProps extends StackProps {
  /** e.g. `dev` or `prod`; `prod` retains data and protects it from deletion. */
  stage: string;
  /** Web origins allowed to upload and download attachments from the browser. */
  webOrigins: string[];
  definition: ApiDefinition;
  /** Where the definition's relative paths start. */
  projectRoot: string;
  /**
   * The web app to serve from CloudFront (its built folder), whose origin the attachments bucket then allows; on a
   * custom domain when one is given, with its certificate or the ARN of one (infra/web-domain.ts).
   */
  web?: Pick<WebProps, 'siteDir'> & { domain?: WebProps['domain'] | WebDomainSetting };
  /** Cognito's email through SES from a verified address (`-c sesFromEmail=...`); recommended for prod. */
  sesEmail?: AuthProps['sesEmail'];
}

export const PRODUCTION_STAGE = 'prod';
/** The stack output holding the whole amplify_outputs.json. */
export const AMPLIFY_OUTPUTS_KEY = 'AmplifyOutputs';

/** The definition's tables, once each, even when several data sources share one. */
export function tablesOf(definition: ApiDefinition): TableDefinition[] {
  const tables = new Map<string, TableDefinition>();
  for (const dataSource of Object.values(definition.dataSources)) {
    if (dataSource.type !== 'AMAZON_DYNAMODB') {
      continue;
    }
    const known = tables.get(dataSource.table.name);
    if (known && JSON.stringify(known) !== JSON.stringify(dataSource.table)) {
      throw new Error(`Table ${dataSource.table.name} is declared twice with different keys`);
    }
    tables.set(dataSource.table.name, dataSource.table);
  }
  return [...tables.values()];
}

export class NotesStack extends Stack {
  readonly auth: Auth;
  readonly storage: Storage;
  /** Tables by their definition name. */
  readonly tables: Record<string, ITable> = {};
  readonly api: Api;
  readonly web?: Web;

  constructor(scope: Construct, id: string, props: NotesStackProps) {
    super(scope, id, props);
    if (!/^[a-z][a-z0-9-]{0,20}$/.test(props.stage)) {
      throw new Error(`stage ${JSON.stringify(props.stage)} must be lower-case letters, digits and dashes`);
    }
    const retain = props.stage === PRODUCTION_STAGE;
    const insecure = props.webOrigins.filter((origin) => !origin.startsWith('https://'));
    if (retain && insecure.length > 0) {
      throw new Error(`The prod stage serves the app over HTTPS only; set webOrigins without ${insecure.join(', ')}`);
    }

    const auth = new Auth(this, 'Auth', { retain, srpOnly: retain, sesEmail: props.sesEmail });
    const domain = props.web?.domain;
    const web =
      props.web &&
      new Web(this, 'Web', {
        siteDir: props.web.siteDir,
        retain,
        domain:
          domain && 'certificateArn' in domain
            ? {
                names: domain.names,
                certificate: Certificate.fromCertificateArn(this, 'WebCertificate', domain.certificateArn),
              }
            : domain,
      });
    // The app's own origin once, even when webOrigins names it too (CloudFormation refuses repeated CORS origins).
    const webOrigins = web ? [...new Set([...props.webOrigins, web.origin])] : props.webOrigins;
    const storage = new Storage(this, 'Storage', { webOrigins, retain });
    const tables = this.tables;
    for (const table of tablesOf(props.definition)) {
      tables[table.name] = new Data(this, `Data_${table.name}`, { table, retain }).table;
    }
    this.auth = auth;
    this.storage = storage;
    this.api = new Api(this, 'Api', {
      definition: props.definition,
      projectRoot: props.projectRoot,
      nameSuffix: props.stage,
      userPool: auth.userPool,
      tables,
      bucket: storage.bucket,
      retain,
      userPoolClient: auth.userPoolClient,
      production: retain,
    });

    // Key names are what clients read from the outputs file `npm run deploy` writes.
    new CfnOutput(this, 'GraphQLUrl', { value: this.api.graphqlUrl });
    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AttachmentsBucket', { value: storage.bucket.bucketName });
    // The whole outputs file as one JSON value: `npm run deploy` writes it to amplify_outputs.json
    // (scripts/amplify-outputs.ts), the same document the web construct puts beside the app.
    new CfnOutput(this, AMPLIFY_OUTPUTS_KEY, { value: this.toJsonString(this.amplifyOutputs()) });
    if (web) {
      web.publish(this.amplifyOutputs());
      this.web = web;
      new CfnOutput(this, 'WebUrl', { value: web.origin });
    }

    Validations.of(auth.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'People sign themselves up to a notes app; MFA (TOTP) is offered, not forced.',
    });
    Validations.of(auth.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the paid Plus plan; the Essentials plan with a strong password policy is the baseline.',
    });
    Validations.of(storage.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Access goes through short-lived presigned URLs for one owner key each; CloudTrail S3 data events are ' +
        'the audit trail when one is wanted, rather than a second bucket of server access logs.',
    });
  }

  /** The stack as Amplify Gen 2's `amplify_outputs.json` describes a backend (values resolved at deploy). */
  amplifyOutputs(): AmplifyOutputs {
    const region = this.region;
    return {
      version: AMPLIFY_OUTPUTS_VERSION,
      auth: {
        aws_region: region,
        user_pool_id: this.auth.userPool.userPoolId,
        user_pool_client_id: this.auth.userPoolClient.userPoolClientId,
        username_attributes: ['email'],
        user_verification_types: ['email'],
        standard_required_attributes: ['email'],
        password_policy: {
          min_length: PASSWORD_POLICY.minLength,
          require_lowercase: PASSWORD_POLICY.requireLowercase,
          require_uppercase: PASSWORD_POLICY.requireUppercase,
          require_numbers: PASSWORD_POLICY.requireDigits,
          require_symbols: PASSWORD_POLICY.requireSymbols,
        },
        mfa_configuration: 'OPTIONAL',
        mfa_methods: ['TOTP'],
      },
      data: {
        aws_region: region,
        url: this.api.graphqlUrl,
        default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
        authorization_types: ['AWS_IAM'],
      },
      storage: { aws_region: region, bucket_name: this.storage.bucket.bucketName },
    };
  }
}
