// The CDK app: one NotesStack per stage (`-c stage=prod`), web origins from context or WEB_ORIGINS, the web app
// from web/dist, on a custom domain when webDomain and webCertificateArn (or WEB_DOMAIN, WEB_CERTIFICATE_ARN) are set.
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { apiDefinition } from './api-definition';
import { webOriginsFrom } from './constructs/storage';
import { NotesStack } from './notes-stack';
import { webDomainFrom } from './web-domain';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const app = new App();

const stage = String(app.node.tryGetContext('stage') ?? 'dev');
const webOrigins = webOriginsFrom(process.env.WEB_ORIGINS ?? app.node.tryGetContext('webOrigins'));
// A custom domain for the web app (with its us-east-1 certificate), or CloudFront's own name when none is given.
const webDomain = webDomainFrom(
  process.env.WEB_DOMAIN ?? app.node.tryGetContext('webDomain'),
  process.env.WEB_CERTIFICATE_ARN ?? app.node.tryGetContext('webCertificateArn'),
);
// Cognito's email through SES: `-c sesFromEmail=notes@example.com [-c sesRegion=eu-west-1]` (a verified identity).
const sesFromEmail = app.node.tryGetContext('sesFromEmail') as string | undefined;

new NotesStack(app, `Notes-${stage}`, {
  stage,
  webOrigins,
  definition: apiDefinition,
  projectRoot,
  // Built by `npm run build` (the synth and deploy scripts run it first).
  web: { siteDir: fileURLToPath(new URL('../web/dist', import.meta.url)), domain: webDomain },
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...(sesFromEmail
    ? { sesEmail: { fromEmail: sesFromEmail, sesRegion: app.node.tryGetContext('sesRegion') as string | undefined } }
    : {}),
});
// The same checks the tests run: a new finding fails synth until it is fixed or suppressed with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
