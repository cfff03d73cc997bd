// Real-browser tests: theme and language follow the visitor on every page, pages
// look finished in every theme (screenshots) and pass an axe-core audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, audit, savePreferences, artifacts, THEMES } from '../harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const PAGES = ['/', '/preferences', '/forms/contact', '/drafts', '/privacy', '/no-such-page'];

test('switching theme and language on /preferences changes every page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await savePreferences(page, server.base, { theme: 'dark', language: 'es' });
  assert.match(await page.textContent('.flash'), /Tus preferencias se han guardado/);
  for (const path of PAGES) {
    await page.goto(`${server.base}${path}`);
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark', path);
    assert.equal(await page.getAttribute('html', 'lang'), 'es', path);
  }
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(18, 20, 24)', 'the dark theme paints a dark page');

  await savePreferences(page, server.base, { theme: 'light', language: 'en' });
  await page.goto(`${server.base}/privacy`);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
});

test('the choice survives closing the browser (persistent cookie)', async () => {
  const first = await browser.newContext();
  const page = await first.newPage();
  await savePreferences(page, server.base, { theme: 'high-contrast', language: 'es' });
  const state = await first.storageState();
  await first.close();
  const cookie = state.cookies.find((c) => c.name === 'tailor_sid');
  assert.ok(cookie, 'the session cookie is stored');
  assert.ok(cookie.expires > Date.now() / 1000 + 29 * 24 * 3600, 'it outlives the browser session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');

  const reopened = await browser.newContext({ storageState: state });
  const again = await reopened.newPage();
  await again.goto(`${server.base}/`);
  assert.equal(await again.getAttribute('html', 'data-theme'), 'high-contrast');
  assert.equal(await again.getAttribute('html', 'lang'), 'es');
  await reopened.close();
});

test('the system theme follows prefers-color-scheme', async () => {
  for (const [scheme, colour] of [['dark', 'rgb(18, 20, 24)'], ['light', 'rgb(247, 246, 243)']]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${server.base}/`);
    assert.equal(await page.getAttribute('html', 'data-theme'), 'system');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, colour, scheme);
    await context.close();
  }
});

test('preferences work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await savePreferences(page, server.base, { theme: 'dark', language: 'es' });
  await page.fill('#display_name', 'Noé');
  await page.click('button[type="submit"]');
  await page.goto(`${server.base}/`);
  assert.match(await page.textContent('h1'), /¡Hola, Noé!/);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await context.close();
});

test('every page in every theme: screenshots, and no serious or critical axe violation', async () => {
  const failures = [];
  for (const theme of THEMES) {
    for (const scheme of theme === 'system' ? ['light', 'dark'] : ['light']) {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await savePreferences(page, server.base, { theme });
      for (const path of PAGES) {
        await page.goto(`${server.base}${path}`);
        const violations = await audit(page);
        if (violations.length) failures.push(`${theme}/${scheme} ${path}:\n  ${violations.join('\n  ')}`);
      }
      const name = theme === 'system' ? `system-${scheme}` : theme;
      for (const [path, file] of [['/', 'home'], ['/preferences', 'preferences'], ['/forms/contact', 'contact']]) {
        await page.goto(`${server.base}${path}`);
        await page.screenshot({ path: join(artifacts, `${file}-${name}.png`), fullPage: true });
      }
      await context.close();
    }
  }
  assert.deepEqual(failures, []);
});

test('pages fit a phone screen without sideways scrolling', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
  const page = await context.newPage();
  for (const path of PAGES) {
    await page.goto(`${server.base}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
  }
  await page.goto(`${server.base}/preferences`);
  await page.screenshot({ path: join(artifacts, 'preferences-phone.png'), fullPage: true });
  await page.goto(`${server.base}/`);
  await page.screenshot({ path: join(artifacts, 'home-phone.png'), fullPage: true });
  await context.close();
});
