// The attachments bucket: private, TLS only, encrypted, and open to browsers only for presigned PUT and GET from the
// web origins the app is served from.
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
  type IBucket,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { STAGED_UPLOADS_EXPIRY } from '../api-definition';
import { assertExactOrigins } from '../web-origins';

export interface StorageProps {
  /** Origins (`https://app.example.com`) whose pages may upload and download; never `*`. */
  webOrigins: string[];
  /** Keep the bucket and its files when the stack goes: for the production stage. */
  retain: boolean;
}

// Parsing and checking origins needs no CDK, so the local server shares it (infra/web-origins.ts).
export { webOriginsFrom } from '../web-origins';

export function assertWebOrigins(origins: readonly string[]): void {
  // An origin known only at deploy (the web app's CloudFront domain) is built by the stack, not typed by a person.
  assertExactOrigins(origins, (origin) => Token.isUnresolved(origin));
}

export class Storage extends Construct {
  readonly bucket: IBucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    assertWebOrigins(props.webOrigins);

    this.bucket = new Bucket(this, 'Attachments', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      cors: [
        {
          allowedOrigins: props.webOrigins,
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          // Content-Length is set by the browser itself and never preflighted.
          allowedHeaders: ['Content-Type'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Uploads are copied to their note's own key when attached; whatever stays in staging was never attached.
        {
          id: STAGED_UPLOADS_EXPIRY.id,
          prefix: STAGED_UPLOADS_EXPIRY.prefix,
          expiration: Duration.days(STAGED_UPLOADS_EXPIRY.expirationDays),
        },
      ],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // Outside production, `npm run destroy` should not fail on uploaded files.
      autoDeleteObjects: !props.retain,
    });
  }
}
