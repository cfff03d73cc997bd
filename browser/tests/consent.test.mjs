// Consent you can prove, in a real browser: a visitor accepts the banner under
// policy version 1; the server restarts with version 2 and the banner returns,
// saying when the policy changed; their choice, their consent id and its history
// are on /privacy; the operators' /admin/consent counts it and looks the id up.
// Light and dark, desk and phone, English, Spanish and French, axe clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, startBrowser, audit, artifacts, savePreferences, ADMIN } from '../harness.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'tailor-consent-'));
let browser;

const serve = (version) => startServer({
  ROCKET_SESSION: `{data_dir="${dataDir}"}`,
  ROCKET_TRACKING: `{consent="opt-in",policy_version="${version}",policy_date="2026-12-01",cookieless_counts=true}`,
});

/// Stops `server` and waits until it no longer answers (its snapshot written).
async function stop(server) {
  server.stop();
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${server.base}/healthz`); } catch { return; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not stop');
}

before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

test('a new policy version asks again, and the choice is on record', async () => {
  let server = await serve('1');
  // Headless Chromium says so in its User-Agent, and known bots are counted apart:
  // this visitor says it is an ordinary Chrome.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('button[value="accept"]')]);
  assert.equal(await page.locator('aside.consent').count(), 0, 'the banner is gone once answered');
  const base1 = server.base;
  await stop(server);

  server = await serve('2');
  // The same browser, the same cookie: the new server has another port.
  const cookies = (await context.cookies(base1)).map((c) => ({ ...c, domain: '127.0.0.1' }));
  await context.addCookies(cookies);
  await page.goto(`${server.base}/drafts`);
  const banner = await page.textContent('aside.consent');
  assert.match(banner, /Our privacy policy has changed/);
  assert.match(banner, /changed on 1 December 2026/);
  assert.deepEqual(await audit(page), [], 'the banner, asked again');
  await page.screenshot({ path: join(artifacts, 'consent-asked-again.png') });
  await Promise.all([page.waitForURL(`${server.base}/drafts`), page.click('button[value="accept"]')]);
  assert.equal(await page.locator('aside.consent').count(), 0);

  for (const theme of ['light', 'dark']) {
    await savePreferences(page, server.base, { theme });
    await page.goto(`${server.base}/privacy`);
    const record = await page.textContent('#consent-record-title + *, section[aria-labelledby="consent-record-title"]');
    assert.match(record, /version 2/);
    assert.match(record, /Your consent id/);
    const rows = await page.locator('section[aria-labelledby="consent-record-title"] tbody tr').count();
    assert.equal(rows, 2, 'granted under 1, granted under 2');
    assert.match(await page.textContent('main'), /honours Global Privacy Control/);
    assert.deepEqual(await audit(page), [], `/privacy, ${theme}`);
    await page.screenshot({ path: join(artifacts, `consent-privacy-${theme}.png`), fullPage: true });
  }
  const id = (await page.textContent('code.consent-id')).trim();
  await context.close();

  for (const [width, height, size] of [[1280, 900, 'desk'], [390, 844, 'phone']]) {
    const admin = await browser.newContext({
      viewport: { width, height },
      httpCredentials: { username: ADMIN.username, password: ADMIN.password },
    });
    const operator = await admin.newPage();
    for (const theme of ['light', 'dark']) {
      await savePreferences(operator, server.base, { theme });
      await operator.goto(`${server.base}/admin/consent?id=${id}`);
      const main = await operator.textContent('main');
      assert.match(main, /Consent by day and policy version/);
      assert.match(main, /History of this consent id/);
      assert.equal(await operator.locator('table').nth(0).locator('tbody tr').count(), 2);
      assert.deepEqual(await audit(operator), [], `/admin/consent, ${size}, ${theme}`);
      await operator.screenshot({ path: join(artifacts, `consent-admin-${size}-${theme}.png`), fullPage: true });
      // The first page the visitor saw before choosing, counted without a cookie.
      await operator.goto(`${server.base}/admin/campaigns`);
      const undecided = await operator.textContent('section[aria-labelledby="undecided-title"]');
      assert.match(undecided, /Visitors who have not chosen yet \(estimated\)/);
      assert.match(undecided, /≈ 1/);
      assert.deepEqual(await audit(operator), [], `/admin/campaigns, ${size}, ${theme}`);
      await operator.locator('#undecided-title').scrollIntoViewIfNeeded();
      await operator.screenshot({ path: join(artifacts, `undecided-${size}-${theme}.png`) });
    }
    await admin.close();
  }
  for (const [locale, words] of [['es-ES', /Consentimiento por día/], ['fr-FR', /Consentement par jour/]]) {
    const admin = await browser.newContext({
      locale,
      httpCredentials: { username: ADMIN.username, password: ADMIN.password },
    });
    const operator = await admin.newPage();
    await operator.goto(`${server.base}/admin/consent`);
    assert.match(await operator.textContent('main'), words);
    assert.deepEqual(await audit(operator), [], `/admin/consent, ${locale}`);
    await admin.close();
  }
  await stop(server);
});

test('the well-known GPC file', async () => {
  const server = await serve('1');
  const r = await fetch(`${server.base}/.well-known/gpc.json`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { gpc: true, lastUpdate: '2026-12-01' });
  await stop(server);
});
