// Real-browser tests of tracking: the history page and the operators' campaign
// report, looked at in light and dark (screenshots) and audited with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, audit, savePreferences, artifacts, ADMIN } from '../harness.mjs';

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

async function browse(page, base) {
  await page.goto(`${base}/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale`);
  for (const path of ['/preferences', '/drafts', '/forms/contact', '/drafts', '/', '/forms/feedback', '/drafts']) {
    await page.goto(`${base}${path}`);
  }
  await page.goto(`${base}/?utm_source=ads&utm_medium=cpc&utm_campaign=summer`);
}

test('history and the campaign report in light and dark', async () => {
  for (const theme of ['light', 'dark']) {
    const context = await browser.newContext({ httpCredentials: ADMIN });
    const page = await context.newPage();
    await browse(page, server.base);
    await savePreferences(page, server.base, { theme });
    await page.goto(`${server.base}/history`);
    assert.equal(await page.getAttribute('html', 'data-theme'), theme);
    assert.match(await page.textContent('h2.day'), /Today/);
    assert.equal(await page.locator('svg.chart rect.chart-bar').count() > 0, true);
    assert.deepEqual(await audit(page), [], `/history ${theme}`);
    await page.screenshot({ path: join(artifacts, `history-${theme}.png`), fullPage: true });

    await page.goto(`${server.base}/admin/campaigns`);
    assert.match(await page.textContent('main'), /spring-sale/);
    assert.deepEqual(await audit(page), [], `/admin/campaigns ${theme}`);
    await page.screenshot({ path: join(artifacts, `campaigns-${theme}.png`), fullPage: true });

    await page.goto(`${server.base}/`);
    await page.screenshot({ path: join(artifacts, `home-tracked-${theme}.png`), fullPage: true });
    await context.close();
  }
});

test('clearing the history works without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await browse(page, server.base);
  await page.goto(`${server.base}/history`);
  await Promise.all([page.waitForURL(`${server.base}/history`), page.click('button:has-text("Clear history")')]);
  assert.match(await page.textContent('.flash'), /Your history has been cleared/);
  await context.close();
});
