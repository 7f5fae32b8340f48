import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiDefinition } from '../../infra/api-definition';
import { cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { useFunctionEnv } from '../helpers/function-env';
import { buildNotesStack, logicalIdOf } from '../helpers/notes-stack';

// The one infra test that really bundles: what NodejsFunction produces is what Lambda runs.
// The bundled handlers read their environment when loaded, in the tests below.
useFunctionEnv();
const built = buildNotesStack({}, { bundleLambdas: true });
const lambdaNames = Object.entries(apiDefinition.dataSources).flatMap(([name, dataSource]) =>
  dataSource.type === 'AWS_LAMBDA' ? [name] : [],
);

function bundleDirectory(name: string): string {
  const functionId = logicalIdOf(built, built.stack.api.functions[name]);
  const resource = built.template.findResources('AWS::Lambda::Function')[functionId] as {
    Metadata: Record<string, string>;
  };
  return path.join(built.app.outdir, resource.Metadata['aws:asset:path']);
}

const isolatedFolders: string[] = [];
afterAll(() => {
  for (const folder of [...isolatedFolders, built.app.outdir]) {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Loads a bundle from a folder with no node_modules anywhere above it, as Lambda would. */
function loadIsolated(name: string): { handler: (event: unknown) => Promise<unknown> } {
  const isolated = mkdtempSync(path.join(tmpdir(), `bundle-${name}-`));
  isolatedFolders.push(isolated);
  copyFileSync(path.join(bundleDirectory(name), 'index.js'), path.join(isolated, 'index.js'));
  return createRequire(path.join(isolated, 'index.js'))('./index.js');
}

describe('Lambda bundling', () => {
  it.each(lambdaNames)('bundles %s into one index.js', (name) => {
    expect(existsSync(path.join(bundleDirectory(name), 'index.js'))).toBe(true);
  });

  it.each(lambdaNames)('ships %s with a source map but without the sources', (name) => {
    const map = JSON.parse(readFileSync(path.join(bundleDirectory(name), 'index.js.map'), 'utf8'));
    expect(map.sourcesContent).toBeUndefined();
  });

  it.each(lambdaNames)('exports a handler from %s that needs no node_modules', (name) => {
    expect(typeof loadIsolated(name).handler).toBe('function');
  });

  it('signs an upload with the bundled createUploadUrl as with the source', async () => {
    const { handler } = loadIsolated('createUploadUrl');
    const result = (await handler(
      resolverEvent({
        arguments: { input: { fileName: 'a.txt', contentType: 'text/plain', size: 5 } },
        identity: cognitoIdentity(),
      }),
    )) as { url: string };
    expect(new URL(result.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });
});
