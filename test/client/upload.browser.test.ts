// The SDK's uploadAttachment in Chromium against the local API and its signature-checking S3: the PUT carries the
// signed headers, and progress comes from XMLHttpRequest's upload events, so a page sees it grow. The network is
// throttled through the DevTools protocol (as DevTools' "Slow 3G" does) so that loopback is slow enough to watch.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import notesApiConfig from '../../appsync-local.config';
import { serveLocalApi, type LocalApi } from '../../local/server/serve';
import { signIn } from '../../client/src/auth';
import { PROJECT_ROOT } from '../e2e/helpers/local-target';
import { launchChromium } from '../helpers/chromium';
import { withEsbuild } from '../../bin/module-cache.js';

/** The SDK bundled for a browser, as an app's bundler would, exposed as `window.NotesSdk` for page.evaluate. */
async function sdkBundle(): Promise<string> {
  const result = await withEsbuild((esbuild) =>
    esbuild.build({
      entryPoints: [`${PROJECT_ROOT}/client/src/index.ts`],
      bundle: true,
      format: 'iife',
      globalName: 'NotesSdk',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'error',
    }),
  );
  return result.outputFiles[0].text;
}

interface PageUpload {
  progress: Array<[number, number]>;
  key: string;
  attachment: { contentType: string; size: number } | null;
}

describe('uploadAttachment in a browser', () => {
  let pages: Server;
  let origin: string;
  let api: LocalApi;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    const script = await sdkBundle();
    pages = createServer((req, res) => {
      const isScript = req.url === '/sdk.js';
      res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
      res.end(isScript ? script : '<!doctype html><title>SDK</title><script src="/sdk.js"></script>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    [api, browser] = await Promise.all([
      serveLocalApi({
        ...notesApiConfig,
        rootDir: PROJECT_ROOT,
        dataDir: null,
        port: 0,
        log: () => {},
        bucket: { name: notesApiConfig.bucket!.name, corsOrigins: [origin] },
      }),
      launchChromium(),
    ]);
    const alice = notesApiConfig.users![0];
    token = (await signIn(api.cognito!, alice.email, alice.password)).idToken;
    page = await browser.newPage();
    await page.goto(`${origin}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  async function upload(size: number, uploadThroughput: number): Promise<PageUpload> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput,
    });
    try {
      return await page.evaluate(
        async ({ url, token, size }) => {
          type Sdk = typeof import('../../client/src/index');
          const { createNotesClient } = (globalThis as unknown as { NotesSdk: Sdk }).NotesSdk;
          const client = createNotesClient({ url, getToken: () => token });
          const progress: Array<[number, number]> = [];
          const bytes = new Uint8Array(size).map((_, i) => i % 251);
          const uploaded = await client.uploadAttachment(new Blob([bytes], { type: 'image/png' }), {
            fileName: 'progress.png',
            onProgress: ({ loaded, total }) => progress.push([loaded, total]),
          });
          const note = await client.createNote({ input: { content: 'progress', attachment: { key: uploaded.key } } });
          return { progress, key: uploaded.key, attachment: note.attachment ?? null };
        },
        { url: api.graphqlUrl, token, size },
      );
    } finally {
      await cdp.detach();
    }
  }

  it('reports growing progress while the bytes go out, ending at the total', async () => {
    const size = 1_500_000;
    const { progress, attachment } = await upload(size, 500_000);
    const loaded = progress.map(([bytes]) => bytes);
    const between = new Set(loaded.filter((bytes) => bytes > 0 && bytes < size));
    expect(between.size, JSON.stringify(progress)).toBeGreaterThanOrEqual(3);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(progress.every(([, total]) => total === size)).toBe(true);
    expect(progress.at(-1)).toEqual([size, size]);
    expect(attachment).toMatchObject({ contentType: 'image/png', size });
  }, 60_000);

  it('sends the PUT with exactly the signed type and length', async () => {
    const puts: Array<Record<string, string>> = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT') puts.push(request.headers());
    });
    const { attachment } = await upload(1234, -1);
    expect(puts).toHaveLength(1);
    expect(puts[0]['content-type']).toBe('image/png');
    expect(attachment).toMatchObject({ contentType: 'image/png', size: 1234 });
  }, 60_000);
});
