import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { Web, type WebProps } from '../../../infra/constructs/web';
import { buildNotesStack } from '../../helpers/notes-stack';

/** A built app as `vite build` leaves it: just enough for the construct to accept the folder. */
function builtSite(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'notes-site-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Notes</title>');
  return dir;
}

const SOME_OUTPUTS = {
  version: '1.4',
  data: {
    url: 'https://api.example.com/graphql',
    aws_region: 'eu-west-1',
    default_authorization_type: 'AMAZON_COGNITO_USER_POOLS' as const,
    authorization_types: [],
  },
};

function webStack(props: Partial<WebProps> = {}, env?: { account: string; region: string }) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'WebTest', { env });
  const web = new Web(stack, 'Web', { siteDir: builtSite(), retain: false, ...props });
  web.publish(SOME_OUTPUTS);
  return { app, stack, web, template: Template.fromStack(stack) };
}

const built = webStack();

function nagViolations(target: { app: App; stack: Stack }): string[] {
  return new AwsSolutionsChecks(target.app).validateScope(target.stack).violations.map((v) => v.ruleName);
}

describe('Web', () => {
  it('serves the bucket through an origin access control, not a public bucket or an identity', () => {
    built.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    built.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      },
    });
  });

  it('lets only this distribution read the bucket', () => {
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('blocks every kind of public access to the bucket', () => {
    built.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('redirects plain HTTP to HTTPS', () => {
    built.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }) },
    });
  });

  it('answers any path that is not a file with index.html, as a single-page app needs', () => {
    built.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultRootObject: 'index.html',
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
        ],
      },
    });
  });

  it('deploys the app and amplify_outputs.json beside it, then invalidates the cache', () => {
    built.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      SourceObjectKeys: [Match.anyValue(), Match.anyValue()],
      DistributionPaths: ['/*'],
      Prune: true,
    });
    // Source.jsonData names the file; its content is rendered at deploy time with the tokens resolved.
    const [deployment] = Object.values(built.template.findResources('Custom::CDKBucketDeployment'));
    expect(JSON.stringify(deployment)).not.toContain('amplify_outputs');
    const assets = built.stack.node.findAll().filter((c) => c.node.id === 'Deployment');
    expect(assets).toHaveLength(1);
  });

  it('gives the app origin as https://<the distribution domain>', () => {
    expect(built.stack.resolve(built.web.origin)).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.any(String), 'DomainName'] }]],
    });
  });

  it('passes the cdk-nag AwsSolutions checks on the default certificate', () => {
    expect(nagViolations(built)).toEqual([]);
  });

  it('passes the cdk-nag AwsSolutions checks with a concrete account and region', () => {
    expect(nagViolations(webStack({}, { account: '123456789012', region: 'eu-west-1' }))).toEqual([]);
  });

  it('enforces TLS 1.2 with a custom domain, which needs no CFR4 acknowledgement', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Domain');
    const certificate = Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
    );
    const web = new Web(stack, 'Web', {
      siteDir: builtSite(),
      retain: false,
      domain: { names: ['notes.example.com'], certificate },
    });
    web.publish(SOME_OUTPUTS);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['notes.example.com'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      },
    });
    expect(web.origin).toBe('https://notes.example.com');
    expect(nagViolations({ app, stack })).toEqual([]);
  });

  it('would fail CFR4 on the default certificate without its acknowledgement (the check can fail)', () => {
    const app = new App();
    const stack = new Stack(app, 'Bare');
    new Distribution(stack, 'Distribution', {
      defaultBehavior: { origin: S3BucketOrigin.withOriginAccessControl(new Bucket(stack, 'Bucket')) },
    });
    expect(nagViolations({ app, stack })).toContain('AwsSolutions-CFR4');
  });

  it('refuses a folder without a built app', () => {
    const stack = new Stack(new App(), 'Empty');
    const empty = mkdtempSync(path.join(tmpdir(), 'notes-empty-'));
    expect(() => new Web(stack, 'Web', { siteDir: empty, retain: false })).toThrow(/run npm run build first/);
  });
});

describe('NotesStack with the web app', () => {
  const stack = buildNotesStack({ web: { siteDir: builtSite() } });

  it('allows the distribution as an origin of the attachments bucket', () => {
    stack.template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: Match.arrayWith([
              { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }]] },
            ]),
          }),
        ],
      },
    });
  });

  it('writes amplify_outputs.json from the stack: API URL, user pool, client, bucket', () => {
    const outputs = stack.stack.resolve(stack.stack.amplifyOutputs()) as Record<string, Record<string, unknown>>;
    expect(outputs.data.url).toEqual({ 'Fn::GetAtt': [expect.any(String), 'GraphQLUrl'] });
    expect(Object.keys(outputs).sort()).toEqual(['auth', 'data', 'storage', 'version']);
    expect(Object.keys(outputs.auth)).toEqual(expect.arrayContaining(['user_pool_id', 'user_pool_client_id']));
  });

  it('outputs the app URL', () => {
    expect(Object.keys(stack.template.findOutputs('WebUrl'))).toEqual(['WebUrl']);
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(nagViolations({ app: stack.app, stack: stack.stack })).toEqual([]);
  });
});
