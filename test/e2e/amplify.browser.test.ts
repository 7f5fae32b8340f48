// The same Amplify JS v6 app flow as test/e2e/local/amplify.test.ts, in a real browser: Debian's Chromium driven by
// playwright-core, on a small page bundled by esbuild from node_modules (test/e2e/amplify-page/app.ts). The page's
// clock is Playwright's (page.clock) and the pool's is its injectable clock, both moved an hour on to reach expiry.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUserPool } from '../../client/src/auth';
import { amplifyOutputsOf, startLocalTarget, type LocalTarget } from './helpers/local-target';
import { withEsbuild } from '../../bin/module-cache.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const APP_ENTRY = fileURLToPath(new URL('./amplify-page/app.ts', import.meta.url));
const HOUR = 3600_000;

/** The page's app (amplify-page/app.ts), as page.evaluate sees it. */
interface AmplifyApp {
  configure(outputs: Record<string, unknown>): void;
  signUp(email: string, password: string): Promise<string>;
  confirm(email: string, code: string): Promise<boolean>;
  signIn(email: string, password: string): Promise<string>;
  createNote(content: string): Promise<string>;
  listNotes(): Promise<string[]>;
  tokens(): Promise<{ accessToken: string; idToken: string }>;
  signOutEverywhere(): Promise<void>;
  currentUser(): Promise<string>;
}
declare const amplifyApp: AmplifyApp;

let serverOffset = 0;
const serverClock = () => Date.now() + serverOffset;

let target: LocalTarget;
let site: Server;
let siteUrl: string;
let browser: Browser;
let page: Page;
const poolCalls: Array<{ operation: string; flow?: string }> = [];
const pageErrors: string[] = [];
const email = `browser-${Date.now()}@example.com`;
const password = 'Browser-pass-123';
let createdNoteId: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const bundle = await withEsbuild((esbuild) =>
    esbuild.build({
      entryPoints: [APP_ENTRY],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      logLevel: 'silent',
    }),
  );
  const script = bundle.outputFiles[0].contents;
  site = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        '<!doctype html><html><head><title>Amplify app</title></head><body><script src="/app.js"></script></body></html>',
      );
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

  target = await startLocalTarget({ temporaryDataDir: true, clock: serverClock });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await (await browser.newContext()).newPage();
  const endpoint = target.api.cognito!.endpoint;
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().startsWith(endpoint)) return;
    const body = JSON.parse(request.postData() ?? '{}') as { AuthFlow?: string; ChallengeName?: string };
    poolCalls.push({
      operation: String(request.headers()['x-amz-target']).split('.')[1],
      flow: body.AuthFlow ?? body.ChallengeName,
    });
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Playwright's clock: time flows as usual until the test moves it.
  await page.clock.install({ time: Date.now() });
  await page.goto(siteUrl);
  await page.evaluate((outputs) => amplifyApp.configure(outputs), amplifyOutputsOf(target));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await target?.close();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
});

function distinct(calls: typeof poolCalls) {
  return calls.filter((call, index) => index === 0 || JSON.stringify(call) !== JSON.stringify(calls[index - 1]));
}

describe('Amplify JS v6 in Chromium, unchanged, against the local notes API', () => {
  it('signs up and confirms with the code printed in the server log', async () => {
    expect(await page.evaluate(([user, secret]) => amplifyApp.signUp(user, secret), [email, password])).toBe(
      'CONFIRM_SIGN_UP',
    );
    const line = target.log.filter((entry) => entry.includes(`confirmation code for ${email}:`)).at(-1);
    const code = line?.match(/: (\d{6})$/)?.[1];
    expect(code).toBeDefined();
    expect(await page.evaluate(([user, value]) => amplifyApp.confirm(user, value), [email, code!])).toBe(true);
  });

  it('signs in with SRP, its default flow', async () => {
    poolCalls.length = 0;
    expect(await page.evaluate(([user, secret]) => amplifyApp.signIn(user, secret), [email, password])).toBe('DONE');
    expect(distinct(poolCalls)).toEqual([
      { operation: 'InitiateAuth', flow: 'USER_SRP_AUTH' },
      { operation: 'RespondToAuthChallenge', flow: 'PASSWORD_VERIFIER' },
    ]);
  });

  it('calls the API through generateClient()', async () => {
    createdNoteId = await page.evaluate(() => amplifyApp.createNote('from Chromium'));
    expect(await page.evaluate(() => amplifyApp.listNotes())).toEqual([createdNoteId]);
  });

  it('refreshes its tokens once they have expired, and keeps calling the API', async () => {
    const before = await page.evaluate(() => amplifyApp.tokens());
    poolCalls.length = 0;
    serverOffset = HOUR + 60_000;
    await page.clock.setSystemTime(Date.now() + HOUR + 60_000);
    const after = await page.evaluate(() => amplifyApp.tokens());
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(distinct(poolCalls)).toEqual([{ operation: 'GetTokensFromRefreshToken', flow: undefined }]);
    expect(decodeJwt(after.accessToken).exp! * 1000).toBeGreaterThan(serverClock());
    expect(await page.evaluate(() => amplifyApp.listNotes())).toEqual([createdNoteId]);
  });

  it('signs out with GlobalSignOut; the pool then refuses its tokens and the API accepts an unexpired one', async () => {
    const { accessToken, idToken } = await page.evaluate(() => amplifyApp.tokens());
    poolCalls.length = 0;
    await page.evaluate(() => amplifyApp.signOutEverywhere());
    expect(distinct(poolCalls).map((call) => call.operation)).toEqual(['GlobalSignOut']);
    expect(await page.evaluate(() => amplifyApp.currentUser())).toBe('error: UserUnAuthenticatedException');
    const cognito = target.api.cognito!;
    await expect(
      callUserPool(
        { userPoolId: cognito.userPoolId, clientId: cognito.clientId, endpoint: cognito.endpoint },
        'GetUser',
        {
          AccessToken: accessToken,
        },
      ),
    ).rejects.toMatchObject({ message: 'Access Token has been revoked' });
    const response = await fetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: idToken },
      body: JSON.stringify({ query: '{ listNotes { items { noteId } } }' }),
    });
    expect(response.status).toBe(200);
    expect(pageErrors).toEqual([]);
  });
});
