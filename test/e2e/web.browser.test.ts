// The notes web app in Debian's Chromium, end to end against a local API: two people sign up, one writes a note with
// a photo, sees it listed and rendered, edits it, meets a conflict from a stale second tab, deletes it; the other
// never sees any of it. Everything goes through the page's labels and roles.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotesClient } from '../../client/src/index';
import { refreshTokens, signIn, type CognitoAuthError } from '../../client/src/auth';
import { launchChromium } from '../helpers/chromium';
import { samplePhoto } from '../helpers/png';
import { NotesTab, startWebApp, type WebApp } from './helpers/web-app';

const PASSWORD = 'Corr3ct-Horse!';
const PHOTO = { name: 'sunset.png', mimeType: 'image/png', buffer: samplePhoto() };

describe('the notes web app', { timeout: 90_000 }, () => {
  let app: WebApp;
  let browser: Browser;
  let ada: NotesTab;
  let grace: NotesTab;
  const adaEmail = `ada.${Date.now()}@example.com`;
  const graceEmail = `grace.${Date.now()}@example.com`;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startWebApp(), launchChromium()]);
    [ada, grace] = await Promise.all([NotesTab.open(browser, app), NotesTab.open(browser, app)]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs two new people up, each into an empty list', async () => {
    await ada.signUp(adaEmail, PASSWORD);
    await grace.signUp(graceEmail, PASSWORD);
    expect(await ada.listedTitles()).toEqual([]);
    expect(await grace.listedTitles()).toEqual([]);
    expect(await ada.page.locator('.account-email').textContent()).toBe(adaEmail);
  });

  it('creates a note with a photo, lists it and renders the photo inline', async () => {
    await ada.createNote('Trip to the coast\nPack the camera and the blue jacket.', PHOTO);
    expect(await ada.listedTitles()).toEqual(['Trip to the coast']);
    const item = ada.notes().first();
    await expect.poll(() => item.getByRole('img', { name: 'sunset.png' }).count()).toBe(1);
    await expect.poll(() => ada.imagesRendered(), { timeout: 10_000 }).toEqual([true]);
    await ada.screenshot('notes-list');
  });

  it('shows the note with its photo in the editor and saves an edit', async () => {
    await ada.openNote('Trip to the coast');
    await expect.poll(() => ada.imagesRendered(), { timeout: 10_000 }).toEqual([true]);
    await ada.screenshot('note-editor');
    await ada.editor().fill('Trip to the coast on Saturday\nPack the camera and the blue jacket.');
    await ada.save();
    await ada.page.getByRole('heading', { name: 'Your notes' }).waitFor();
    expect(await ada.listedTitles()).toEqual(['Trip to the coast on Saturday']);
  });

  it('refuses a stale edit from a second tab with a clear message, and reloads the current note', async () => {
    await ada.openNote('Trip to the coast on Saturday');
    const stale = await ada.another();
    await stale.goto(new URL(ada.page.url()).pathname);
    await stale.editor().waitFor();

    // The second tab has unsaved edits, so it keeps them (and the version it loaded) when the first one saves.
    await stale.editor().fill('Trip to the mountains instead');
    await ada.editor().fill('Trip to the coast on Sunday');
    await ada.save();
    await ada.page.getByRole('heading', { name: 'Your notes' }).waitFor();
    await stale.page.getByRole('status').filter({ hasText: 'This note was changed on another device' }).waitFor();
    expect(await stale.editor().inputValue()).toBe('Trip to the mountains instead');

    await stale.save();
    const alert = stale.page.getByRole('alert').filter({ hasText: 'This note was changed elsewhere' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/now at version 3; you edited version 2/);

    await alert.getByRole('button', { name: 'Reload note' }).click();
    await expect.poll(() => stale.editor().inputValue()).toBe('Trip to the coast on Sunday');
    expect(await stale.page.getByRole('alert').count()).toBe(0);
    await stale.page.close();
    expect(await ada.listedTitles()).toEqual(['Trip to the coast on Sunday']);
  });

  it('never shows one person the other one’s note, listed or by its address', async () => {
    await grace.goto('/');
    expect(await grace.listedTitles()).toEqual([]);
    await ada.openNote('Trip to the coast on Sunday');
    await grace.goto(new URL(ada.page.url()).pathname);
    await grace.page.getByRole('alert').filter({ hasText: 'This note does not exist' }).waitFor();
    expect(await grace.page.getByLabel('Note', { exact: true }).count()).toBe(0);
  });

  it('deletes a note only after confirmation', async () => {
    await ada.goto('/');
    await ada.openNote('Trip to the coast on Sunday');
    await ada.page.getByRole('button', { name: 'Delete note' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Delete this note?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await ada.heading().textContent()).toBe('Edit note');

    await ada.page.getByRole('button', { name: 'Delete note' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await ada.page.getByRole('heading', { name: 'Your notes' }).waitFor();
    expect(await ada.listedTitles()).toEqual([]);
  });

  it('checks the type and size of a file before uploading it', async () => {
    await ada.page.getByRole('link', { name: 'New note' }).click();
    const uploads: string[] = [];
    ada.page.on('request', (request) => {
      if (request.method() === 'PUT') uploads.push(request.url());
    });
    await ada.page
      .getByLabel('Attach a file')
      .setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<p>hi</p>') });
    await ada.page.getByRole('alert').filter({ hasText: 'This is a text/html file' }).waitFor();
    // From a file on disk: Chromium reads it itself (a 10 MB buffer would be copied through the DevTools protocol).
    const huge = path.join(await mkdtemp(path.join(tmpdir(), 'notes-huge-')), 'huge.png');
    await writeFile(huge, Buffer.alloc(10 * 1024 * 1024 + 1));
    await ada.page.getByLabel('Attach a file').setInputFiles(huge);
    await ada.page.getByRole('alert').filter({ hasText: 'the limit is 10 MB' }).waitFor();
    expect(uploads).toEqual([]);
  });

  it('keeps the session across tabs and ends it everywhere on sign-out', async () => {
    await ada.goto('/');
    const second = await ada.another();
    await second.goto('/');
    await second.page.getByRole('heading', { name: 'Your notes' }).waitFor();
    const stored = await ada.page.evaluate<string | null>("localStorage.getItem('notes:session')");
    const { refreshToken } = (JSON.parse(stored ?? 'null') as { tokens: { refreshToken: string } }).tokens;
    await ada.signOut();
    await second.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Signing out revokes the session on the pool (RevokeToken), as Amplify's signOut does: its refresh token is
    // refused from then on. The page tells the pool after clearing its own state, hence the poll.
    await expect
      .poll(() =>
        refreshTokens(app.api.cognito!, refreshToken).then(
          () => 'accepted',
          (error: CognitoAuthError) => error.code,
        ),
      )
      .toBe('NotAuthorizedException');

    // The page signs in with SRP (USER_SRP_AUTH, then PASSWORD_VERIFIER), the only flow production allows.
    const flows: string[] = [];
    second.page.on('request', (request) => {
      const target = request.headers()['x-amz-target'] ?? '';
      if (!target.startsWith('AWSCognitoIdentityProviderService.')) return;
      const body = JSON.parse(request.postData() ?? '{}') as { AuthFlow?: string; ChallengeName?: string };
      flows.push(`${target.split('.')[1]}:${body.AuthFlow ?? body.ChallengeName ?? ''}`);
    });
    await second.signIn(adaEmail, PASSWORD);
    expect(flows).toEqual(['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
    expect(await second.listedTitles()).toEqual([]);
    await second.page.close();
  });

  it('lists newest first, a page at a time, with "Load more"', async () => {
    const tokens = await signIn(app.api.cognito!, graceEmail, PASSWORD);
    const notes = createNotesClient({ url: app.api.graphqlUrl, getToken: () => tokens.idToken });
    for (let i = 1; i <= 23; i++) await notes.createNote({ input: { content: `Grocery list ${i}` } });

    await grace.goto('/');
    const newestFirst = Array.from({ length: 23 }, (_, i) => `Grocery list ${23 - i}`);
    expect(await grace.listedTitles()).toEqual(newestFirst.slice(0, 20));
    await grace.page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => grace.listedTitles()).toEqual(newestFirst);
    expect(await grace.page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await ada.goto('/');
    expect(await ada.listedTitles()).toEqual([]);
  });

  it('shows a change made in another browser at once, without a reload', async () => {
    // A browser context of its own, signed in apart: another device.
    const other = await NotesTab.open(browser, app);
    await other.signIn(adaEmail, PASSWORD);
    await ada.goto('/');
    expect(await other.listedTitles()).toEqual([]);
    const marked = () => other.page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument);
    await other.page.evaluate(() => void ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));

    await ada.createNote('Shopping\nBread and eggs');
    await expect.poll(() => other.listedTitles()).toEqual(['Shopping']);

    await ada.openNote('Shopping');
    await ada.editor().fill('Shopping for Sunday\nBread, eggs and coffee');
    await ada.save();
    await expect.poll(() => other.listedTitles()).toEqual(['Shopping for Sunday']);

    // An editor without edits of its own follows the note.
    await other.openNote('Shopping for Sunday');
    await ada.openNote('Shopping for Sunday');
    await ada.editor().fill('Shopping for Monday');
    await ada.save();
    await expect.poll(() => other.editor().inputValue()).toBe('Shopping for Monday');

    await ada.openNote('Shopping for Monday');
    await ada.page.getByRole('button', { name: 'Delete note' }).click();
    await ada.page.getByRole('dialog', { name: 'Delete this note?' }).getByRole('button', { name: 'Delete' }).click();
    await other.page.getByRole('alert').filter({ hasText: 'This note does not exist' }).waitFor();
    expect(await other.editor().count()).toBe(0);
    await other.page.getByRole('link', { name: '← Your notes' }).click();
    expect(await other.listedTitles()).toEqual([]);

    expect(await marked()).toBe(true);
    expect(other.errors).toEqual([]);
    await other.page.context().close();
  });

  it('raised no error in any page', () => {
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  });
});
