// The web app's own domain, when one is given (`-c webDomain=notes.example.com -c webCertificateArn=arn:...`, or
// WEB_DOMAIN and WEB_CERTIFICATE_ARN): CloudFront then serves it with that ACM certificate and enforces TLS 1.2
// (cdk-nag AwsSolutions-CFR4), where its default *.cloudfront.net certificate cannot.

export interface WebDomainSetting {
  /** Host names the distribution answers for; the first is the app's origin. */
  names: string[];
  /** An ACM certificate covering them, in us-east-1 (the only region CloudFront takes certificates from). */
  certificateArn: string;
}

const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
const CLOUDFRONT_CERTIFICATE = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The domain from its settings, or undefined when neither is set; a clear error for half or wrong settings. */
export function webDomainFrom(names: unknown, certificateArn: unknown): WebDomainSetting | undefined {
  const nameList = text(names);
  const arn = text(certificateArn);
  if (!nameList && !arn) return undefined;
  if (!nameList || !arn) {
    throw new Error(
      'A custom web domain needs both webDomain (WEB_DOMAIN) and webCertificateArn (WEB_CERTIFICATE_ARN)',
    );
  }
  const parsed = nameList.split(',').map((name) => name.trim().toLowerCase());
  const invalid = parsed.filter((name) => !HOST_NAME.test(name));
  if (invalid.length > 0) throw new Error(`webDomain must be host names, comma-separated: ${invalid.join(', ')}`);
  if (!CLOUDFRONT_CERTIFICATE.test(arn)) {
    throw new Error(`webCertificateArn must be an ACM certificate in us-east-1 (CloudFront takes no other): ${arn}`);
  }
  return { names: [...new Set(parsed)], certificateArn: arn };
}
