// Real-browser test of the pages a visitor and an operator read on a phone:
// at 390 px wide no page is wider than the viewport (nothing scrolls sideways),
// in English, Spanish and French; phone-width screenshots of each land in
// browser/artifacts/phone-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, artifacts, ADMIN } from '../harness.mjs';

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

const PHONE = { width: 390, height: 844 };

/// How much wider than the viewport the page is (0 when it fits).
async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/// Opens `path` and checks that it fits; saves a full-page screenshot.
async function fits(page, path, name) {
  const response = await page.goto(`${server.base}${path}`);
  assert.equal(response.status(), 200, `${path} answers`);
  await page.screenshot({ path: join(artifacts, `phone-${name}.png`), fullPage: true });
  const wider = await overflow(page);
  assert.ok(wider <= 0, `${path} (${name}) is ${wider} px wider than a 390 px phone`);
}

async function addToCart(page, slug, quantity) {
  await page.goto(`${server.base}/products/${slug}`);
  await page.fill('#quantity', String(quantity));
  await Promise.all([page.waitForURL(`${server.base}/cart`), page.click('main button[type="submit"]')]);
}

for (const lang of ['en', 'es', 'fr']) {
  test(`a visitor's pages fit a phone (${lang})`, async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: lang, extraHTTPHeaders: { 'Accept-Language': lang } });
    const page = await context.newPage();
    await addToCart(page, 'silk-tie', 2);
    await addToCart(page, 'oxford-shirt', 1);
    await addToCart(page, 'cufflinks', 3);
    await fits(page, '/cart', `cart-${lang}`);
    // Every line's controls and the total are on screen.
    for (const selector of ['.cart-table tfoot .total', '.cart-table tbody tr:last-child button[type="submit"]']) {
      const box = await page.locator(selector).last().boundingBox();
      assert.ok(box && box.x + box.width <= PHONE.width, `${selector} is on screen (${lang})`);
    }
    await page.goto(`${server.base}/products`);
    await fits(page, '/history', `history-${lang}`);
    await page.goto(`${server.base}/register`);
    await page.fill('#username', `phone-${lang}`);
    await page.fill('#password', 'a long enough password');
    await Promise.all([page.waitForURL(`${server.base}/account`), page.click('main button[type="submit"]')]);
    await fits(page, '/account', `account-${lang}`);
    await context.close();
  });
}

test('the operator pages fit a phone', async () => {
  const context = await browser.newContext({
    viewport: PHONE,
    httpCredentials: { username: ADMIN.username, password: ADMIN.password },
  });
  const page = await context.newPage();
  // Something in every report: an order, a submission, a campaign landing.
  await page.goto(`${server.base}/products?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale`);
  await addToCart(page, 'silk-tie', 1);
  await Promise.all([page.waitForURL(/\/orders\//), page.click('.checkout button')]);
  // The order's own page, under its reference.
  await fits(page, new URL(page.url()).pathname, 'order');
  await page.goto(`${server.base}/forms/contact`);
  await page.fill('#f-name', 'Phone Operator');
  await page.fill('#f-email', 'ops@example.org');
  await page.selectOption('#f-topic', 'sales');
  await page.fill('#f-message', 'A message long enough to wrap on a narrow screen, twice over.');
  await Promise.all([page.waitForURL(/thanks/), page.click('button[value="submit"]')]);
  for (const path of ['/admin/campaigns', '/admin/experiments', '/admin/orders', '/admin/submissions']) {
    await fits(page, path, `admin-${path.split('/').pop()}`);
  }
  await context.close();
});
