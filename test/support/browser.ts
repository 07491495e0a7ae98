import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package (`apt-get install chromium`): the only browser the tests use; none is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Chromium as the browser tests and scripts/screenshot-page.ts run it: nothing phones home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
