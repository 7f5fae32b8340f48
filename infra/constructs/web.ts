// The web app on AWS: its built files in a private bucket, served over HTTPS by CloudFront through origin access
// control, every unknown path answered with index.html (the app routes in the browser), and `amplify_outputs.json`
// beside index.html so the app finds its API and user pool as it does locally.
import { CfnElement, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { AmplifyOutputs } from '../../local/server/amplify-outputs';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface WebProps {
  /** The built app (`npm run build -w web` writes `web/dist`), with its index.html. */
  siteDir: string;
  /** Keep the bucket when the stack goes (production). */
  retain: boolean;
  /**
   * A custom domain with its ACM certificate (in us-east-1). Without one the app is served on CloudFront's own
   * `*.cloudfront.net` certificate, which cannot enforce TLS 1.2 as the minimum (cdk-nag AwsSolutions-CFR4).
   */
  domain?: { names: string[]; certificate: ICertificate };
}

export class Web extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<domain>`: the app's origin, for the attachments bucket's CORS. */
  readonly origin: string;
  private readonly siteDir: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    if (!existsSync(path.join(props.siteDir, 'index.html'))) {
      throw new Error(`${props.siteDir} holds no built web app (index.html): run npm run build first`);
    }
    this.siteDir = props.siteDir;

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Notes web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      // The app's own routes (/notes/01J…) are not files: S3 answers 403 through OAC for a missing key, and the
      // browser gets index.html with 200 so the app can show the screen.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      ...(props.domain ? { domainNames: props.domain.names, certificate: props.domain.certificate } : {}),
    });
    this.origin = `https://${props.domain?.names[0] ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A notes app is for anyone, anywhere: no country is excluded.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static files only; the API (AppSync) and sign-in (Cognito) are separate ' +
        'endpoints with their own throttling, so a WAF web ACL here would protect nothing that can be abused.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Viewer requests are for the same public static files for everyone; the actions that matter are logged by ' +
        'AppSync and Cognito. Standard logs can be turned on for an investigation without a redeploy of the app.',
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, which cannot set ' +
          'a minimum TLS version; pass a domain and certificate to enforce TLSv1.2_2021.',
      });
    }
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds the public build of the app, read only by CloudFront through origin access control.',
    });
  }

  /** Uploads the app and its outputs file (`outputs`, tokens resolved at deploy), then invalidates the cache. */
  publish(outputs: AmplifyOutputs): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [Source.asset(this.siteDir), Source.jsonData('amplify_outputs.json', outputs)],
      // Hashed assets could be cached for a year; index.html and the outputs file must never be stale, and
      // CloudFront's invalidation below refreshes them at the edge.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
    });
    this.acknowledgeDeploymentFindings();
    return deployment;
  }

  /** CDK's deployment function (one per stack, shared): cdk-nag names each finding by the rendered policy. */
  private acknowledgeDeploymentFindings(): void {
    const stack = Stack.of(this);
    const deployer = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!deployer) throw new Error("CDK's bucket deployment function is missing from the stack");
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const assets = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${account}-${region}`;
    const site = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    Validations.of(deployer).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "CDK's own deployment function, which only writes its own logs with this policy.",
    });
    const copies =
      "CDK's deployment function copies the app's asset into the site bucket and removes files the new build lacks";
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      Validations.of(deployer).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${copies}: ${action} on the asset and site buckets only.`,
      });
    }
    Validations.of(deployer).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assets}/*]`,
      reason: `${copies}: it reads the asset from CDK's bootstrap bucket.`,
    });
    Validations.of(deployer).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${site}.Arn>/*]`,
      reason: `${copies}: it writes any key of the site bucket.`,
    });
    Validations.of(deployer).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "The deployment function's runtime is chosen by aws-cdk-lib with the function's code, not here.",
    });
    Validations.of(deployer).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudFront invalidations (after each deployment) have no resource-level permissions.',
    });
  }
}
