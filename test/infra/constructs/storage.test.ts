import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Storage, webOriginsFrom } from '../../../infra/constructs/storage';
import { TEST_WEB_ORIGINS, buildNotesStack } from '../../helpers/notes-stack';

const dev = buildNotesStack({ stage: 'dev' });
const prod = buildNotesStack({ stage: 'prod' });
const BUCKET = 'AWS::S3::Bucket';

function storageWithOrigins(webOrigins: string[]) {
  return () => new Storage(new Stack(new App(), 'Storage'), 'Storage', { webOrigins, retain: false });
}

describe('Storage', () => {
  it('blocks every kind of public access', () => {
    dev.template.hasResourceProperties(BUCKET, {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('denies every request made without TLS', () => {
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('encrypts objects at rest', () => {
    dev.template.hasResourceProperties(BUCKET, {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('allows CORS only from the configured web origins', () => {
    dev.template.hasResourceProperties(BUCKET, {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: TEST_WEB_ORIGINS })] },
    });
  });

  it('allows only PUT and GET across origins', () => {
    dev.template.hasResourceProperties(BUCKET, {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['PUT', 'GET'] })] },
    });
  });

  it('lets browsers send the Content-Type header their upload signs', () => {
    dev.template.hasResourceProperties(BUCKET, {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedHeaders: ['Content-Type'] })] },
    });
  });

  it('aborts incomplete multipart uploads', () => {
    dev.template.hasResourceProperties(BUCKET, {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('expires uploads left in the staging prefix a day after they were made, and nothing else', () => {
    const rules = dev.template.findResources(BUCKET) as Record<
      string,
      { Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } } }
    >;
    const [bucket] = Object.values(rules);
    const expiring = bucket.Properties.LifecycleConfiguration.Rules.filter((rule) => 'ExpirationInDays' in rule);
    expect(expiring).toEqual([
      { Id: 'expire-staged-uploads', Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' },
    ]);
  });

  it('retains the bucket when the prod stack is deleted', () => {
    prod.template.hasResource(BUCKET, { DeletionPolicy: 'Retain' });
  });

  it('empties and deletes a dev bucket with its stack', () => {
    dev.template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  it('keeps prod files when the stack is deleted', () => {
    prod.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('rejects a wildcard origin', () => {
    expect(storageWithOrigins(['*'])).toThrow(
      'webOrigins entry "*" must be an exact origin like https://notes.example.com',
    );
  });

  it('rejects a wildcard subdomain', () => {
    expect(storageWithOrigins(['https://*.example.com'])).toThrow('must be an exact origin');
  });

  it('rejects an origin with a path', () => {
    expect(storageWithOrigins(['https://notes.example.com/app'])).toThrow('must be an exact origin');
  });

  it('rejects an origin that is not http or https', () => {
    expect(storageWithOrigins(['ftp://notes.example.com'])).toThrow('must be an exact origin');
  });

  it('allows a plain-http origin outside prod, for local development', () => {
    const local = buildNotesStack({ stage: 'dev', webOrigins: ['http://localhost:5173'] });
    local.template.hasResourceProperties(BUCKET, {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['http://localhost:5173'] })] },
    });
  });

  it('rejects a plain-http origin in prod', () => {
    expect(() =>
      buildNotesStack({ stage: 'prod', webOrigins: ['https://notes.example.com', 'http://localhost:5173'] }),
    ).toThrow('The prod stage serves the app over HTTPS only; set webOrigins without http://localhost:5173');
  });

  it('reads origins from a comma-separated context value', () => {
    expect(webOriginsFrom(' https://a.example.com, https://b.example.com ,')).toEqual([
      'https://a.example.com',
      'https://b.example.com',
    ]);
  });

  it('reads origins from a cdk.json list', () => {
    expect(webOriginsFrom(['https://a.example.com'])).toEqual(['https://a.example.com']);
  });

  it('reads no origins from a missing value, which the stack then rejects', () => {
    expect(webOriginsFrom(undefined)).toEqual([]);
  });

  it('rejects an empty list of origins', () => {
    expect(storageWithOrigins([])).toThrow('webOrigins must list at least one origin');
  });
});
