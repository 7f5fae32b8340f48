// Direct Lambda resolvers: a resolver or function on a Lambda data source with no code gets AppSync's defaults,
// written here as the APPSYNC_JS code they amount to, so the engine runs them like any other code.
// - Request: the whole context goes to the function (Invoke), or, with a maxBatchSize, one context per list item
//   (BatchInvoke): `{ arguments, identity, source, request, prev, info, stash }`. Events recorded from AppSync show
//   these keys, `request` holding `headers` and `domainName` and `prev` null outside a pipeline
//   (https://github.com/aws-powertools/powertools-lambda-python/issues/1303,
//   https://github.com/aws/aws-lambda-rust-runtime/issues/1014, quoting the direct Lambda resolver reference).
// - Response: a function error is raised as the field's error, with the function's message and the result; AppSync
//   documents the default as `#if($ctx.error) $util.error($ctx.error.message, $ctx.error.type, $ctx.result) #end
//   $util.toJson($ctx.result)`
//   (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-mapping-template-reference-lambda.html#direct-lambda-resolvers).

export interface DirectLambdaOptions {
  /** The resolver has a maxBatchSize: the function receives a list of contexts. */
  batch: boolean;
  /** A pipeline function sees the previous function's result as `prev`; a unit resolver has none. */
  pipelineFunction: boolean;
}

export function directLambdaCode({ batch, pipelineFunction }: DirectLambdaOptions): string {
  const operation = batch ? 'BatchInvoke' : 'Invoke';
  const prev = pipelineFunction ? 'ctx.prev' : 'null';
  return [
    "import { util } from '@aws-appsync/utils';",
    'export function request(ctx) {',
    '  const payload = {',
    '    arguments: ctx.arguments,',
    '    identity: ctx.identity,',
    '    source: ctx.source,',
    '    request: ctx.request,',
    `    prev: ${prev},`,
    '    info: ctx.info,',
    '    stash: ctx.stash,',
    '  };',
    `  return { operation: '${operation}', payload };`,
    '}',
    'export function response(ctx) {',
    '  if (ctx.error) util.error(ctx.error.message, ctx.error.type, ctx.result);',
    '  return ctx.result;',
    '}',
    '',
  ].join('\n');
}
