// Headless Chromium for the browser tests (the report page, the browser bundle): Debian's
// `chromium` driven by playwright-core, no browser download. Where none is installed the tests
// skip with the printed reason below, never silently.
import * as fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser binary: $OUTERLOOP_CHROMIUM, else the first Debian/Ubuntu path that exists. */
export const chromiumPath: string | undefined = process.env.OUTERLOOP_CHROMIUM
  ? process.env.OUTERLOOP_CHROMIUM
  : CANDIDATES.find((p) => fs.existsSync(p));

/** Why the browser tests cannot run here, or undefined when they can. */
export const browserSkipReason: string | undefined =
  chromiumPath === undefined
    ? `no Chromium found (looked at ${CANDIDATES.join(', ')}; set OUTERLOOP_CHROMIUM or install Debian's chromium)`
    : !fs.existsSync(chromiumPath)
      ? `OUTERLOOP_CHROMIUM=${chromiumPath} does not exist`
      : undefined;

/** Launches headless Chromium (no sandbox: CI runs as root in a container). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath as string, args: ['--no-sandbox'], headless: true });
}
