// The web app as a person meets it: built as it deploys (vite build), served with SPA fallback and
// `/amplify_outputs.json` beside it (Vite's preview server, as CloudFront serves the bucket), talking to a local API
// in this process; and a page object that uses it through labels and roles, as a person (or a screen reader) would.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import notesApiConfig from '../../../appsync-local.config';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { PROJECT_ROOT } from './local-target';

export interface WebApp {
  /** The app's address, e.g. `http://127.0.0.1:41234`. */
  url: string;
  api: LocalApi;
  /** The latest confirmation code the user pool "emailed" to `email`. */
  codeFor(email: string): Promise<string>;
  close(): Promise<void>;
}

/** The outputs file the local API serves, as the app's page gets it. */
async function outputsOf(api: LocalApi): Promise<unknown> {
  const response = await fetch(`${api.url}/amplify_outputs.json`);
  if (!response.ok) throw new Error(`${api.url}/amplify_outputs.json answered HTTP ${response.status}`);
  return response.json();
}

export async function startWebApp(): Promise<WebApp> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'notes-web-'));
  // The codes the user pool "emails", by address (the latest one each).
  const codes = new Map<string, string>();
  let api: LocalApi | undefined;
  let server: PreviewServer | undefined;
  try {
    await build({ root: path.join(PROJECT_ROOT, 'web'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    let outputs: unknown = null;
    // The preview server starts first: its address is the origin the bucket's CORS must allow.
    server = await preview({
      root: path.join(PROJECT_ROOT, 'web'),
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: false },
      plugins: [
        {
          name: 'amplify-outputs',
          configurePreviewServer(preview) {
            preview.middlewares.use('/amplify_outputs.json', (_req, res) => {
              res.setHeader('content-type', 'application/json');
              res.end(JSON.stringify(outputs));
            });
          },
        },
      ],
    });
    const { port } = server.httpServer.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    api = await serveLocalApi({
      ...notesApiConfig,
      rootDir: PROJECT_ROOT,
      dataDir: null,
      port: 0,
      log: () => {},
      onCognitoMessage: ({ destination, code }) => void codes.set(destination.toLowerCase(), code),
      bucket: { name: notesApiConfig.bucket!.name, corsOrigins: [url] },
    });
    outputs = await outputsOf(api);
    const running = { api, server };
    return {
      url,
      api,
      async codeFor(email) {
        for (let waited = 0; waited < 10_000; waited += 50) {
          const code = codes.get(email.toLowerCase());
          if (code) return code;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`The user pool sent no code to ${email}`);
      },
      async close() {
        await running.server.close();
        await running.api.close();
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    await api?.close();
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

export interface FileToAttach {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** One browser tab on the app, seen through its labels, roles and texts. */
export class NotesTab {
  readonly errors: string[] = [];

  constructor(
    readonly page: Page,
    private readonly app: WebApp,
  ) {
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  static async open(
    browser: Browser | BrowserContext,
    app: WebApp,
    viewport = { width: 1100, height: 800 },
  ): Promise<NotesTab> {
    const page =
      'newContext' in browser ? await (await browser.newContext({ viewport })).newPage() : await browser.newPage();
    const tab = new NotesTab(page, app);
    await tab.goto('/');
    return tab;
  }

  /** Another tab of the same browser profile: it shares the session. */
  async another(): Promise<NotesTab> {
    const tab = new NotesTab(await this.page.context().newPage(), this.app);
    await tab.page.setViewportSize(this.page.viewportSize() ?? { width: 1100, height: 800 });
    return tab;
  }

  async goto(pathname: string): Promise<void> {
    await this.page.goto(`${this.app.url}${pathname}`);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async signUp(email: string, password: string): Promise<void> {
    await this.page.getByRole('link', { name: 'Create an account' }).click();
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await this.page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    await this.page.getByLabel('Confirmation code').fill(await this.app.codeFor(email));
    await this.page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await this.page.getByRole('heading', { name: 'Your notes' }).waitFor();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('heading', { name: 'Your notes' }).waitFor();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await this.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }

  /** Picks a file in the editor's file field and waits until the upload is done. */
  async attach(file: FileToAttach): Promise<void> {
    await this.page.getByLabel(/^(Attach a file|Replace the attachment)$/).setInputFiles(file);
    await this.page
      .getByRole('status')
      .filter({ hasText: `Uploaded ${file.name}` })
      .waitFor();
  }

  async createNote(content: string, file?: FileToAttach): Promise<void> {
    await this.page.getByRole('link', { name: 'New note' }).click();
    await this.page.getByLabel('Note', { exact: true }).fill(content);
    if (file) await this.attach(file);
    await this.page.getByRole('button', { name: 'Create note' }).click();
    await this.page.getByRole('heading', { name: 'Your notes' }).waitFor();
  }

  notes() {
    return this.page.getByRole('list', { name: 'Notes' }).getByRole('listitem');
  }

  /** The titles (first lines) of the listed notes, top to bottom; [] once the list says there are none. */
  async listedTitles(): Promise<string[]> {
    await this.page.locator('.note-list, .empty').first().waitFor();
    return this.page.locator('.note-title').allTextContents();
  }

  async openNote(title: string): Promise<void> {
    await this.page.getByRole('link', { name: new RegExp(`^${escapeRegExp(title)}`) }).click();
    await this.page.getByRole('heading', { name: 'Edit note' }).waitFor();
    await this.page.getByLabel('Note', { exact: true }).waitFor();
  }

  editor() {
    return this.page.getByLabel('Note', { exact: true });
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save changes' }).click();
  }

  /**
   * With WEB_SCREENSHOTS=<folder> (`npm run screenshots` sets docs/screenshots), saves what the page shows now as
   * <name>.png, and again at a phone's width (390 px) as <name>-390.png. Without it, does nothing.
   */
  async screenshot(name: string): Promise<void> {
    const folder = process.env.WEB_SCREENSHOTS;
    if (!folder) return;
    await mkdir(folder, { recursive: true });
    // No caret or hover state in the pictures.
    await this.page.mouse.move(0, 0);
    await this.page.screenshot({ path: path.join(folder, `${name}.png`), caret: 'hide', animations: 'disabled' });
    const size = this.page.viewportSize()!;
    await this.page.setViewportSize({ width: 390, height: 844 });
    await this.page.screenshot({ path: path.join(folder, `${name}-390.png`), caret: 'hide', animations: 'disabled' });
    await this.page.setViewportSize(size);
  }

  /** Whether every image on the page has loaded and decoded (a broken image has no natural width). */
  async imagesRendered(): Promise<boolean[]> {
    const images = this.page.locator('img[alt]:not([alt=""])');
    await images.first().waitFor();
    return images.evaluateAll((elements) =>
      elements.map((element) => {
        const image = element as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      }),
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
