// Real-browser tests of personalisation: a newsletter landing sees its hero on
// that very page, in English and in Spanish, in every theme, with nothing for
// axe-core to find; the privacy page says why; an experiment's variant survives
// reloads and a new tab, and the operators' report reads well.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, startBrowser, audit, artifacts, savePreferences, THEMES, ADMIN, root } from '../harness.mjs';

let server;
let browser;

// The shipped rules, but the experiment takes every visitor: its audience (a
// visitor who came back, 30 minutes after an earlier visit) cannot be waited for.
const rules = join(mkdtempSync(join(tmpdir(), 'tailor-rules-')), 'rules.toml');
writeFileSync(rules, readFileSync(join(root, 'personalisation.toml'), 'utf8').replace('audience = "returning"\n', ''));

before(async () => {
  server = await startServer({ ROCKET_PERSONALISATION: `{file="${rules}"}` });
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const LANDING = '/?utm_source=newsletter&utm_campaign=spring-sale&utm_medium=email';

for (const [locale, title] of [
  ['en-GB', 'Welcome, newsletter reader'],
  ['es-ES', 'Bienvenido, lector del boletín'],
]) {
  test(`a newsletter landing sees its hero at once (${locale})`, async () => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(`${server.base}${LANDING}`);
    const hero = page.locator('[data-slot="home.hero"]');
    assert.equal(await hero.getAttribute('data-variant'), 'newsletter');
    assert.equal((await page.textContent('h1')).trim(), title);
    assert.deepEqual(await audit(page), []);
    await page.screenshot({ path: join(artifacts, `hero-${locale}.png`), fullPage: true });
    // The hero stays on the next pages: the touch was recorded with the visit.
    await page.reload();
    assert.equal(await hero.getAttribute('data-variant'), 'newsletter');
    await context.close();
  });
}

test('the hero and the cart note read well in every theme', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${server.base}${LANDING}`);
  for (const theme of THEMES) {
    await savePreferences(page, server.base, { theme });
    await page.goto(`${server.base}/`);
    assert.equal(await page.locator('[data-slot="home.hero"]').getAttribute('data-variant'), 'newsletter');
    assert.deepEqual(await audit(page), [], `home in ${theme}`);
    await page.goto(`${server.base}/cart`);
    assert.ok(await page.locator('[data-slot="cart.note"]').count(), 'the cart has its note');
    assert.deepEqual(await audit(page), [], `cart in ${theme}`);
  }
  await context.close();
});

test('the privacy page says why', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}${LANDING}`);
  await page.goto(`${server.base}/privacy`);
  const why = await page.textContent('#why-title + p + ul');
  assert.match(why, /Came from the newsletter: last touch source is newsletter/);
  assert.deepEqual(await audit(page), []);
  await context.close();
});

// Headless Chromium says "HeadlessChrome", which is on the known-bots list that
// experiments skip; this visitor says what a desktop Chrome says.
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

test("an experiment's variant survives reloads and a new tab", async () => {
  const context = await browser.newContext({ userAgent: CHROME, httpCredentials: ADMIN });
  const page = await context.newPage();
  const arm = async (p) => {
    const r = await p.request.get(`${server.base}/api/v1/personalisation`);
    return (await r.json()).experiments['welcome-back'];
  };
  await page.goto(`${server.base}/`);
  const chosen = await arm(page);
  assert.ok(['control', 'bold'].includes(chosen), `assigned: ${chosen}`);
  const hero = page.locator('[data-slot="home.hero"]');
  const shown = await hero.getAttribute('data-variant');
  if (chosen === 'bold') assert.equal(shown, 'bold');
  for (let i = 0; i < 3; i++) {
    await page.reload();
    assert.equal(await hero.getAttribute('data-variant'), shown, `reload ${i + 1}`);
  }
  const tab = await context.newPage();
  await tab.goto(`${server.base}/`);
  assert.equal(await tab.locator('[data-slot="home.hero"]').getAttribute('data-variant'), shown);
  assert.equal(await arm(tab), chosen);
  assert.deepEqual(await audit(tab), [], 'home with the experiment');

  for (const theme of ['light', 'dark']) {
    await savePreferences(tab, server.base, { theme });
    await tab.goto(`${server.base}/admin/experiments`);
    assert.match(await tab.textContent('main'), /welcome-back/);
    assert.deepEqual(await audit(tab), [], `/admin/experiments ${theme}`);
    await tab.screenshot({ path: join(artifacts, `experiments-${theme}.png`), fullPage: true });
  }
  await context.close();
});
