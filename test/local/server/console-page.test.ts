// The console page and its assets over HTTP, without a browser (the browser test is test/e2e/console.browser.test.ts).
import { createContext, runInContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consolePage, type ConsolePageOptions } from '../../../local/server/console-page';
import { startHttpServer, type RunningServer } from '../../../local/server/http-server';

const OPTIONS: ConsolePageOptions = {
  apiName: 'notes-api',
  graphqlPath: '/graphql',
  cognito: {
    endpoint: 'http://127.0.0.1:4001',
    userPoolId: 'us-east-1_AbCdEf123',
    clientId: 'local-client',
    region: 'us-east-1',
  },
  users: ['alice@example.com'],
};

function embeddedConfig(html: string): Record<string, unknown> {
  const json = /<script type="application\/json" id="console-config">(.*?)<\/script>/s.exec(html)?.[1];
  if (json === undefined) throw new Error('The page has no console-config element');
  return JSON.parse(json) as Record<string, unknown>;
}

function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(\/console\/[^"]+)"/g)].map((match) => match[1]);
}

describe('consolePage', () => {
  it('hands the page its options as JSON, with a default query when none is given', () => {
    expect(embeddedConfig(consolePage(OPTIONS))).toEqual({
      apiName: 'notes-api',
      graphqlPath: '/graphql',
      cognito: OPTIONS.cognito,
      users: ['alice@example.com'],
      passwords: {},
      apiKey: null,
      defaultQuery: expect.stringContaining('query {'),
    });
  });

  it('carries the passwords to prefill only when given', () => {
    const passwords = { 'alice@example.com': 'Passw0rd!alice' };
    expect(embeddedConfig(consolePage({ ...OPTIONS, passwords })).passwords).toEqual(passwords);
  });

  it('opens with the given default query', () => {
    const defaultQuery = 'query ListNotes { listNotes { items { noteId } } }';
    expect(embeddedConfig(consolePage({ ...OPTIONS, defaultQuery })).defaultQuery).toBe(defaultQuery);
  });

  it('keeps an API name with markup as text, in the title and in the configuration', () => {
    const apiName = '</script><script>alert(1)</script><b>';
    const html = consolePage({ ...OPTIONS, apiName });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(
      '<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt; · local AppSync</title>',
    );
    expect(embeddedConfig(html).apiName).toBe(apiName);
  });

  it('loads React, ReactDOM, GraphiQL, its explorer, the sign-in module and the console app from this server, in dependency order', () => {
    const scripts = assetUrls(consolePage(OPTIONS))
      .filter((url) => url.includes('.js'))
      .map((url) => new URL(url, 'http://local').pathname);
    expect(scripts).toEqual([
      '/console/react.js',
      '/console/react-dom.js',
      '/console/graphiql.js',
      '/console/explorer.js',
      '/console/auth.js',
      '/console/console.js',
    ]);
  });
});

describe('console assets route', () => {
  let server: RunningServer;
  let urls: string[];

  beforeAll(async () => {
    server = await startHttpServer({
      engine: () => {
        throw new Error('console routes never reach the engine');
      },
      auth: { default: 'API_KEY', apiKeys: ['key'] },
      consolePage: () => consolePage(OPTIONS),
    });
    urls = assetUrls(await (await fetch(`${server.url}/`)).text());
  });

  afterAll(async () => {
    await server?.close();
  });

  it('serves each asset of the page with its type, cached for good under its versioned URL', async () => {
    expect(urls).toHaveLength(9);
    for (const url of urls) {
      const response = await fetch(`${server.url}${url}`);
      const body = await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(
        url.includes('.css') ? 'text/css; charset=UTF-8' : 'text/javascript; charset=UTF-8',
      );
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Number(response.headers.get('content-length'))).toBe(body.byteLength);
      expect(body.byteLength).toBeGreaterThan(1000);
    }
  });

  it('serves the SDK sign-in module as a browser script defining CognitoAuth, with no Node built-in', async () => {
    const url = urls.find((candidate) => candidate.startsWith('/console/auth.js'))!;
    const script = await (await fetch(`${server.url}${url}`)).text();
    expect(script).not.toMatch(/require\(|node:/);
    // Run as a browser would: a global scope with fetch and WebCrypto, nothing of Node.
    const context = createContext({ fetch, crypto, TextEncoder, atob, btoa });
    runInContext(script, context);
    const auth = runInContext('CognitoAuth', context) as Record<string, unknown>;
    for (const name of ['signIn', 'refreshTokens', 'signOut', 'signUp', 'CognitoAuthError']) {
      expect(typeof auth[name]).toBe('function');
    }
  });

  it('asks for revalidation when the URL names another version', async () => {
    const stale = urls[0].replace(/v=[0-9a-f]+/, 'v=0000000000000000');
    const response = await fetch(`${server.url}${stale}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${server.url}${urls[0]}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 404 for a file that is not a console asset', async () => {
    for (const path of ['/console/package.json', '/console/../package.json', '/console/%2e%2e%2fpackage.json']) {
      const response = await fetch(`${server.url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
    }
  });

  it('answers 405 to a POST', async () => {
    const response = await fetch(`${server.url}${urls[0]}`, { method: 'POST', body: '' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
