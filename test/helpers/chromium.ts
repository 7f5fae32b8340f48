// Debian's Chromium (apt-get install chromium) driven by playwright-core, which never downloads a browser here.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Nothing may reach the network: no background fetches, no component or sync updates, no first-run pages.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; browser tests need it. ` +
        'On Debian: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
  // launch() gives every run a fresh temporary user-data-dir, removed at close.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
