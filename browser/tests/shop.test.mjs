// Real-browser test of the shop and accounts: add to cart, register, log out, add
// again anonymously, log in, see the merged cart, log out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, audit, savePreferences, artifacts, ADMIN, THEMES } from '../harness.mjs';

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

async function addToCart(page, slug, quantity) {
  await page.goto(`${server.base}/products/${slug}`);
  await page.fill('#quantity', String(quantity));
  await Promise.all([page.waitForURL(`${server.base}/cart`), page.click('button:has-text("Add to cart")')]);
}

async function cartLines(page) {
  await page.goto(`${server.base}/cart`);
  return page.$$eval('.cart-table tbody tr', (rows) =>
    rows.map((r) => [r.querySelector('th a').textContent.trim(), r.querySelector('input[name="quantity"]').value]));
}

test('add to cart, log in, see the merged cart, log out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();

  await addToCart(page, 'silk-tie', 2);
  assert.match(await page.textContent('.cart-count'), /^2/);
  await page.goto(`${server.base}/register`);
  await page.fill('#username', 'browser-user');
  await page.fill('#password', 'a long enough password');
  await Promise.all([page.waitForURL(`${server.base}/account`), page.click('button:has-text("Create account")')]);
  assert.match(await page.textContent('main'), /Signed in as browser-user/);
  await page.screenshot({ path: join(artifacts, 'account.png'), fullPage: true });

  await Promise.all([page.waitForURL(`${server.base}/`), page.click('.logout-form button')]);
  assert.deepEqual(await cartLines(page), [], 'a fresh anonymous visitor after logout');

  await addToCart(page, 'silk-tie', 3);
  await addToCart(page, 'cufflinks', 1);
  await page.goto(`${server.base}/login`);
  await page.fill('#username', 'Browser-User');
  await page.fill('#password', 'a long enough password');
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('main button:has-text("Log in")')]);
  assert.match(await page.textContent('h1'), /Hello, browser-user!/);
  assert.deepEqual(await cartLines(page), [['Silk tie', '5'], ['Cufflinks', '1']]);
  await page.screenshot({ path: join(artifacts, 'cart.png'), fullPage: true });

  await page.goto(`${server.base}/account`);
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('.logout-form button')]);
  await page.goto(`${server.base}/account`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await context.close();
});

test('shop and account pages pass the audit in light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await addToCart(page, 'oxford-shirt', 1);
    for (const path of ['/products', '/products/oxford-shirt', '/cart', '/login', '/register']) {
      await page.goto(`${server.base}${path}`);
      assert.deepEqual(await audit(page), [], `${path} ${scheme}`);
    }
    await page.goto(`${server.base}/products`);
    await page.screenshot({ path: join(artifacts, `products-${scheme}.png`), fullPage: true });
    await context.close();
  }
});

test('an order, the operators\' pages and account deletion, without JavaScript, in every theme', async () => {
  // Without JavaScript: register, order.
  const context = await browser.newContext({ javaScriptEnabled: false, httpCredentials: ADMIN });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${server.base}/register`);
  await page.fill('#username', 'leaving-user');
  await page.fill('#password', 'a long enough password');
  await Promise.all([page.waitForURL(`${server.base}/account`), page.click('button:has-text("Create account")')]);
  await addToCart(page, 'linen-shirt', 2);
  await Promise.all([page.waitForURL(`${server.base}/cart`), page.click('button:has-text("Place order")')]);
  assert.match(await page.textContent('.flash'), /Your order has been placed/);

  // The account, operator and privacy pages in every theme (the audit needs
  // JavaScript: another browser of the same account).
  const audited = await browser.newContext({ httpCredentials: ADMIN });
  const look = await audited.newPage();
  await look.goto(`${server.base}/login`);
  await look.fill('#username', 'leaving-user');
  await look.fill('#password', 'a long enough password');
  await Promise.all([look.waitForURL(`${server.base}/`), look.click('main button:has-text("Log in")')]);
  for (const theme of THEMES) {
    await savePreferences(look, server.base, { theme });
    for (const path of ['/account', '/admin/orders', '/admin/submissions', '/privacy']) {
      await look.goto(`${server.base}${path}`);
      assert.equal(await look.getAttribute('html', 'data-theme'), theme);
      assert.deepEqual(await audit(look), [], `${path} ${theme}`);
    }
    await look.goto(`${server.base}/admin/orders`);
    assert.match(await look.textContent('main'), /leaving-user/);
    await look.screenshot({ path: join(artifacts, `orders-${theme}.png`), fullPage: true });
    await look.goto(`${server.base}/account`);
    await look.screenshot({ path: join(artifacts, `account-${theme}.png`), fullPage: true });
  }

  // Without JavaScript again: delete the account; every browser of it is out.
  await page.goto(`${server.base}/account`);
  await page.fill('#delete-password', 'a long enough password');
  await Promise.all([page.waitForURL(/\/privacy\?account_deleted=true$/), page.click('button:has-text("Delete my account")')]);
  assert.match(await page.textContent('main'), /Your account has been deleted/);
  await page.screenshot({ path: join(artifacts, 'account-deleted.png'), fullPage: true });
  await look.goto(`${server.base}/account`);
  assert.equal(new URL(look.url()).pathname, '/login');
  await page.goto(`${server.base}/admin/orders`);
  assert.match(await page.textContent('main'), /no account/);
  await audited.close();
  await context.close();
});
