// The web app on a custom domain, as `cdk deploy -c webDomain=... -c webCertificateArn=...` (or WEB_DOMAIN and
// WEB_CERTIFICATE_ARN) gives it: CloudFront answers for the names with the certificate, enforces TLS 1.2 (so cdk-nag's
// CFR4 holds without an acknowledgement), and the attachments bucket allows the domain as the app's origin.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { webDomainFrom } from '../../infra/web-domain';
import { buildNotesStack } from '../helpers/notes-stack';

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-123456789abc';

describe('webDomainFrom', () => {
  it('is nothing when neither setting is given', () => {
    expect(webDomainFrom(undefined, undefined)).toBeUndefined();
    expect(webDomainFrom('', ' ')).toBeUndefined();
  });

  it('reads comma-separated names, lower-cased, once each', () => {
    expect(webDomainFrom('Notes.example.com, www.notes.example.com,notes.example.com', ARN)).toEqual({
      names: ['notes.example.com', 'www.notes.example.com'],
      certificateArn: ARN,
    });
  });

  it('refuses half a setting, a bad name, or a certificate outside us-east-1', () => {
    expect(() => webDomainFrom('notes.example.com', undefined)).toThrow(/needs both webDomain/);
    expect(() => webDomainFrom(undefined, ARN)).toThrow(/needs both webDomain/);
    expect(() => webDomainFrom('https://notes.example.com', ARN)).toThrow(
      'webDomain must be host names, comma-separated: https://notes.example.com',
    );
    expect(() => webDomainFrom('notes.example.com', ARN.replace('us-east-1', 'eu-west-1'))).toThrow(
      /must be an ACM certificate in us-east-1/,
    );
  });
});

describe('the notes stack on a custom domain', () => {
  const site = mkdtempSync(path.join(tmpdir(), 'notes-site-'));
  writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Notes</title>');
  const built = buildNotesStack({
    web: { siteDir: site, domain: webDomainFrom('notes.example.com', ARN) },
  });

  it('serves the names with the certificate and TLS 1.2 as the minimum', () => {
    built.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['notes.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: ARN,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      },
    });
  });

  it('lets the domain upload to the attachments bucket', () => {
    built.template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: Match.arrayWith([
          Match.objectLike({ AllowedOrigins: Match.arrayWith(['https://notes.example.com']) }),
        ]),
      },
    });
  });

  it('passes the cdk-nag AwsSolutions checks with no CFR4 acknowledgement', () => {
    const violations = new AwsSolutionsChecks(built.app).validateScope(built.stack).violations;
    expect(violations.map((v) => v.ruleName)).toEqual([]);
    const acknowledged = JSON.stringify(built.stack.node.findAll().flatMap((c) => c.node.metadata));
    expect(acknowledged).not.toContain('AwsSolutions-CFR4');
  });
});
