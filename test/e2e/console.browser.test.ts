// The console page at `/` in a real browser: Debian's Chromium, driven by playwright-core (which never downloads a
// browser of its own here). Everything goes through the page as a person would use it: the sign-in bar, GraphiQL's
// query editor, its run button and its result panel. Set CONSOLE_SCREENSHOTS=<folder> to keep screenshots.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import notesApiConfig from '../../appsync-local.config';
import { apiDefinition } from '../../infra/api-definition';
import { serveLocalApi, type LocalApi, type LocalApiConfig } from '../../local/server/serve';
import { PROJECT_ROOT } from './helpers/local-target';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Nothing may reach the network: no QUIC probing, no background fetches, no component or sync updates.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LOCAL_USERS = notesApiConfig.users ?? [];
// What the result panel shows for a query run signed out (the API's 401, with what to do about it).
const SIGN_IN_FIRST = [
  'Sign in with the bar above, then run this again.',
  '',
  'The API needs a user pool token and answered 401 UnauthorizedException: Valid authorization header not provided.',
].join('\n');

/** The page's sessionStorage, as the callbacks given to page.evaluate() see it (no DOM types in this project). */
interface PageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
declare const sessionStorage: PageStorage;
declare const document: { querySelector(selector: string): unknown };

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the console's browser tests need it. ` +
        'On Debian: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
  // launch() gives every run a fresh temporary user-data-dir, removed at close.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

async function startApi(overrides: Partial<LocalApiConfig> = {}): Promise<LocalApi> {
  return serveLocalApi({
    ...notesApiConfig,
    rootDir: PROJECT_ROOT,
    dataDir: null,
    port: 0,
    log: () => {},
    ...overrides,
  });
}

/** One browser tab on the console, in its own context (fresh storage), recording what the page did. */
class ConsoleTab {
  readonly requests: Request[] = [];
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly api: LocalApi,
  ) {
    page.on('request', (request) => this.requests.push(request));
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console error: ${message.text()}`);
    });
  }

  static async open(
    browser: Browser,
    api: LocalApi,
    before?: (page: Page) => Promise<void>,
    viewport = { width: 1400, height: 800 },
  ): Promise<ConsoleTab> {
    const context = await browser.newContext({ viewport });
    const tab = new ConsoleTab(context, await context.newPage(), api);
    await before?.(tab.page);
    await tab.page.goto(`${api.url}/`);
    await tab.page.locator('.graphiql-container').waitFor();
    return tab;
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('User').selectOption(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  signedInAs(): Promise<string | null> {
    return this.page
      .locator('.console-signed-in strong')
      .textContent({ timeout: 10_000 })
      .catch(() => null);
  }

  /**
   * Types `query` into GraphiQL's editor, presses its run button and waits for the answer to the request for
   * `operationName`; returns that request, its HTTP status, and the result panel once it shows the answer (the
   * response's JSON, unless the page is expected to show `shown` instead).
   */
  async run(
    query: string,
    operationName: string,
    shown?: unknown,
  ): Promise<{ request: Request; status: number; panel: unknown }> {
    const editor = this.page.locator('.graphiql-query-editor .CodeMirror');
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    // insertText, not type(): the editor closes brackets as they are typed.
    await this.page.keyboard.insertText(query);
    // GraphiQL reads the operation's name 100 ms after an edit, and a run before that sends the previous name: wait
    // until the editor (GraphiQL keeps it on its CodeMirror instance) has it, as a person's pace always allows.
    await this.page.waitForFunction(
      (name) =>
        (document.querySelector('.graphiql-query-editor .CodeMirror') as { CodeMirror?: { operationName?: string } })
          ?.CodeMirror?.operationName === name,
      operationName,
    );
    const isMarked = (request: Request) =>
      request.url() === this.api.graphqlUrl && request.postDataJSON()?.operationName === operationName;
    const [response] = await Promise.all([
      this.page.waitForResponse((candidate) => isMarked(candidate.request())),
      this.page.getByRole('button', { name: /^Execute query/ }).click(),
    ]);
    const body: unknown = await response.json();
    // The panel is what a person reads: wait until it shows this answer, then return what it shows.
    let panel: unknown;
    await expect
      .poll(async () => {
        panel = await this.resultPanel();
        return panel;
      })
      .toEqual(shown ?? body);
    return { request: response.request(), status: response.status(), panel };
  }

  /** GraphiQL's result panel as JSON (its rendered lines), or the raw text when it holds no JSON. */
  async resultPanel(): Promise<unknown> {
    const lines = await this.page.locator('.result-window .CodeMirror-line').allInnerTexts();
    // CodeMirror renders spaces as no-break spaces and empty lines as zero-width spaces.
    const text = lines
      .join('\n')
      .replace(/\u00a0/g, ' ')
      .replace(/\u200b/g, '');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  async screenshot(name: string): Promise<void> {
    const folder = process.env.CONSOLE_SCREENSHOTS;
    if (folder) await this.page.screenshot({ path: path.join(folder, `${name}.png`) });
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

describe('console page', { timeout: 60_000 }, () => {
  let browser: Browser;
  let api: LocalApi;
  const [alice] = LOCAL_USERS;

  beforeAll(async () => {
    if (!alice) throw new Error('appsync-local.config.ts must configure a local user');
    browser = await launchChromium();
    api = await startApi();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function withTab(test: (tab: ConsoleTab) => Promise<void>, before?: (page: Page) => Promise<void>) {
    const tab = await ConsoleTab.open(browser, api, before);
    try {
      await test(tab);
    } finally {
      await tab.close();
    }
  }

  it('loads GraphiQL, React and its own scripts from the local server only, without errors', async () => {
    await withTab(async (tab) => {
      await tab.screenshot('signed-out');
      const origins = new Set(tab.requests.map((request) => new URL(request.url()).origin));
      expect([...origins]).toEqual([new URL(api.url).origin]);
      const assets = tab.requests.filter((request) => new URL(request.url()).pathname.startsWith('/console/'));
      expect(assets.map((request) => new URL(request.url()).pathname).sort()).toEqual([
        '/console/auth.js',
        '/console/console.css',
        '/console/console.js',
        '/console/explorer.css',
        '/console/explorer.js',
        '/console/graphiql.css',
        '/console/graphiql.js',
        '/console/react-dom.js',
        '/console/react.js',
      ]);
      for (const request of assets) {
        const response = await request.response();
        expect(response?.status()).toBe(200);
        expect(response?.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(response?.headers()['content-type']).toMatch(/^text\/(javascript|css); charset=UTF-8$/);
      }
      expect(tab.errors).toEqual([]);
    });
  });

  it('offers the local users and opens with the default query', async () => {
    await withTab(async (tab) => {
      const options = await tab.page.getByLabel('User').locator('option').allTextContents();
      expect(options).toEqual([...LOCAL_USERS.map((user) => user.email), 'Another email…']);
      const editorText = await tab.page.locator('.graphiql-query-editor .CodeMirror-line').allInnerTexts();
      expect(editorText.join('\n')).toContain('listNotes(limit: 20)');
    });
  });

  it('signs a local user in and runs createNote and listNotes through GraphiQL', async () => {
    await withTab(async (tab) => {
      await tab.signIn(alice.email, alice.password);
      expect(await tab.signedInAs()).toBe(alice.email);

      const created = await tab.run(
        'mutation CreateFromConsole { createNote(input: { content: "Written in the console" }) { noteId content version } }',
        'CreateFromConsole',
      );
      expect(created.status).toBe(200);
      // AppSync takes the user pool's JWT as it is: no "Bearer" in front.
      const authorization = (await created.request.allHeaders()).authorization;
      expect(authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(created.panel).toEqual({
        data: { createNote: { noteId: expect.any(String), content: 'Written in the console', version: 1 } },
      });
      const { noteId } = (created.panel as { data: { createNote: { noteId: string } } }).data.createNote;

      const listed = await tab.run(
        'query ListFromConsole { listNotes { items { noteId content } } }',
        'ListFromConsole',
      );
      expect(listed.panel).toEqual({ data: { listNotes: { items: [{ noteId, content: 'Written in the console' }] } } });
      await tab.screenshot('signed-in-list');
      expect(tab.errors).toEqual([]);
    });
  });

  it('says to sign in when a query run signed out gets the 401, and sends no credentials', async () => {
    await withTab(async (tab) => {
      const result = await tab.run('query SignedOut { listNotes { items { noteId } } }', 'SignedOut', SIGN_IN_FIRST);
      expect(result.status).toBe(401);
      expect(result.panel).toEqual(SIGN_IN_FIRST);
      const headers = await result.request.allHeaders();
      expect(headers.authorization).toBeUndefined();
      expect(headers['x-api-key']).toBeUndefined();
    });
  });

  it("shows the user pool's error for a wrong password and stays signed out, and nothing moves", async () => {
    await withTab(async (tab) => {
      const editorBefore = await tab.page.locator('.console-graphiql').boundingBox();
      const buttonBefore = await tab.page.getByRole('button', { name: 'Sign in' }).boundingBox();
      await tab.signIn(alice.email, 'not-the-password');
      await expect
        .poll(() => tab.page.getByRole('alert').textContent())
        .toBe('Sign-in failed: NotAuthorizedException: Incorrect username or password.');
      expect(await tab.page.locator('.console-signed-in').count()).toBe(0);
      // The message floats over GraphiQL: the bar, its button and the editor stay where they were.
      expect(await tab.page.getByRole('button', { name: 'Sign in' }).boundingBox()).toEqual(buttonBefore);
      expect(await tab.page.locator('.console-graphiql').boundingBox()).toEqual(editorBefore);
    });
  });

  it('builds a query in the explorer by ticking fields, and runs it', async () => {
    await withTab(async (tab) => {
      await tab.signIn(alice.email, alice.password);
      expect(await tab.signedInAs()).toBe(alice.email);
      // From an empty document, so the opening query's own listNotes is not already ticked.
      await tab.page.locator('.graphiql-query-editor .CodeMirror').click();
      await tab.page.keyboard.press('ControlOrMeta+A');
      await tab.page.keyboard.press('Delete');
      await tab.page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
      const explorer = tab.page.locator('.graphiql-explorer-root');
      // The explorer lists the schema's root fields once the signed-in introspection has loaded.
      await explorer.getByText('listNotes', { exact: true }).click();
      await explorer.getByText('items', { exact: true }).click();
      await explorer.getByText('content', { exact: true }).click();
      await expect
        .poll(async () =>
          (await tab.page.locator('.graphiql-query-editor .CodeMirror-line').allInnerTexts())
            .join(' ')
            .replace(/\s+/g, ' '),
        )
        .toBe('query MyQuery { listNotes { items { content } } }');
      await tab.page.getByRole('button', { name: /^Execute query/ }).click();
      await expect.poll(() => tab.resultPanel()).toEqual({ data: { listNotes: { items: expect.any(Array) } } });
      await tab.screenshot('explorer');
      expect(tab.errors).toEqual([]);
    });
  });

  it('fits a 390 px wide phone: nothing scrolls sideways, and the sign-in and run buttons are on screen', async () => {
    const tab = await ConsoleTab.open(browser, api, undefined, { width: 390, height: 844 });
    try {
      const width = await tab.page.evaluate(
        () => (document as unknown as { documentElement: { scrollWidth: number } }).documentElement.scrollWidth,
      );
      expect(width).toBeLessThanOrEqual(390);
      for (const button of [
        tab.page.getByRole('button', { name: 'Sign in' }),
        tab.page.getByRole('button', { name: /^Execute query/ }),
      ]) {
        const box = await button.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      await tab.signIn(alice.email, alice.password);
      expect(await tab.signedInAs()).toBe(alice.email);
      await tab.screenshot('phone');
    } finally {
      await tab.close();
    }
  });

  it('signs in an email typed by hand', async () => {
    await withTab(async (tab) => {
      await tab.page.getByLabel('User').selectOption({ label: 'Another email…' });
      await tab.page.getByLabel('Email').fill(alice.email);
      await tab.page.getByLabel('Password').fill(alice.password);
      await tab.page.getByRole('button', { name: 'Sign in' }).click();
      expect(await tab.signedInAs()).toBe(alice.email);
    });
  });

  it('keeps the sign-in across a reload of the tab and forgets it on sign out', async () => {
    await withTab(async (tab) => {
      await tab.signIn(alice.email, alice.password);
      expect(await tab.signedInAs()).toBe(alice.email);
      await tab.page.reload();
      expect(await tab.signedInAs()).toBe(alice.email);

      await tab.page.getByRole('button', { name: 'Sign out' }).click();
      await tab.page.getByRole('button', { name: 'Sign in' }).waitFor();
      await tab.page.reload();
      await tab.page.getByRole('button', { name: 'Sign in' }).waitFor();
      const stored = await tab.page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
      expect(stored).not.toMatch(/eyJ/);
      const result = await tab.run(
        'query AfterSignOut { listNotes { items { noteId } } }',
        'AfterSignOut',
        SIGN_IN_FIRST,
      );
      expect(result.status).toBe(401);
    });
  });

  it('says when the sign-in has expired and stops sending the token', async () => {
    await withTab(
      async (tab) => {
        await tab.signIn(alice.email, alice.password);
        expect(await tab.signedInAs()).toBe(alice.email);
        // The local pool's ID tokens last an hour, as Cognito's do by default.
        await tab.page.clock.fastForward('01:00:01');
        await expect
          .poll(() => tab.page.getByRole('status').textContent())
          .toMatch(new RegExp(`^Your sign-in as ${alice.email} expired at .+\\. Sign in again to keep querying\\.$`));
        await tab.screenshot('expired');
        const result = await tab.run(
          'query AfterExpiry { listNotes { items { noteId } } }',
          'AfterExpiry',
          SIGN_IN_FIRST,
        );
        expect((await result.request.allHeaders()).authorization).toBeUndefined();
        expect(result.panel).toEqual(SIGN_IN_FIRST);
      },
      (page) => page.clock.install(),
    );
  });

  it('tells the user when the API refuses the stored token, and signs them out', async () => {
    await withTab(async (tab) => {
      await tab.signIn(alice.email, alice.password);
      expect(await tab.signedInAs()).toBe(alice.email);
      // A token from an earlier run of the server (another issuer) is what a reload meets after a restart.
      await tab.page.evaluate(() => {
        const key = Object.keys(sessionStorage).find((name) => name.startsWith('appsync-local:'))!;
        const session = JSON.parse(sessionStorage.getItem(key)!);
        const [header, payload] = session.user.idToken.split('.');
        session.user.idToken = `${header}.${payload}.${'A'.repeat(342)}`;
        sessionStorage.setItem(key, JSON.stringify(session));
      });
      // The reloaded page fetches the schema with the stored token at once; the refusal signs the user out.
      await tab.page.reload();
      await expect
        .poll(() => tab.page.getByRole('alert').textContent())
        .toMatch(new RegExp(`^The API refused the token of ${alice.email}: .+\\. Sign in again\\.$`));
      await tab.screenshot('refused');
      expect(await tab.page.locator('.console-signed-in').count()).toBe(0);
    });
  });
});

describe('console page for an API with an API key', { timeout: 60_000 }, () => {
  const API_KEY = 'da2-consolelocalkey0000000000';
  let browser: Browser;
  let api: LocalApi;

  beforeAll(async () => {
    browser = await launchChromium();
    api = await startApi({
      definition: { ...apiDefinition, auth: { default: 'AMAZON_COGNITO_USER_POOLS', additional: ['API_KEY'] } },
      apiKeys: [API_KEY],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('sends the key as x-api-key instead of a token once the API key mode is picked', async () => {
    const tab = await ConsoleTab.open(browser, api);
    try {
      await tab.page.getByLabel('API key').check();
      await expect(tab.page.getByText(`x-api-key: ${API_KEY}`).isVisible()).resolves.toBe(true);
      const result = await tab.run('query WithApiKey { listNotes { items { noteId } } }', 'WithApiKey');
      const headers = await result.request.allHeaders();
      expect(headers['x-api-key']).toBe(API_KEY);
      expect(headers.authorization).toBeUndefined();
      // The key gets past the door; the schema grants listNotes to user-pool callers only (no @aws_api_key).
      expect(result.status).toBe(200);
      expect(result.panel).toMatchObject({
        data: null,
        errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access listNotes on type Query' }],
      });
    } finally {
      await tab.close();
    }
  });
});
