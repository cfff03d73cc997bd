// Real-browser tests of form drafts: autosave while typing, resume after reload and
// after closing the browser, the same without JavaScript, and two tabs in conflict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, audit, artifacts } from '../harness.mjs';

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

const VALUES = {
  '#f-name': 'Zoë O’Brien <script>',
  '#f-email': 'zoe@example.org',
  '#f-company': 'Acme "Rockets" & Co',
  '#f-message': 'First line\nSecond line with emoji 🚀',
};

async function fillContact(page) {
  for (const [selector, value] of Object.entries(VALUES)) await page.fill(selector, value);
  await page.selectOption('#f-topic', 'support');
  await page.selectOption('#f-contact_time', 'evening');
  await page.check('#f-newsletter');
}

async function expectContact(page) {
  for (const [selector, value] of Object.entries(VALUES)) {
    assert.equal(await page.inputValue(selector), value, selector);
  }
  assert.equal(await page.inputValue('#f-topic'), 'support');
  assert.equal(await page.inputValue('#f-contact_time'), 'evening');
  assert.equal(await page.isChecked('#f-newsletter'), true);
}

test('typing autosaves; reload and a reopened browser find every value', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/forms/contact`);
  await fillContact(page);
  const status = page.locator('[data-draft-status]');
  await status.filter({ hasText: 'Draft saved' }).waitFor({ timeout: 10000 });
  assert.match(await status.textContent(), /Draft saved · just now/);
  // The exact time on hover, in the server's one format (the page shows no other).
  const exact = await status.locator('time').getAttribute('title');
  assert.match(exact, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+$/, `the exact time is on hover: ${exact}`);

  await page.reload();
  await expectContact(page);
  // On the form itself the notice says the draft is filled in; it offers no
  // "Resume" of what is already on the page.
  assert.match(await page.textContent('.notice'), /Your draft from .* is filled in below/);
  assert.equal(await page.locator('.notice a', { hasText: 'Resume' }).count(), 0);

  const state = await context.storageState();
  await context.close();
  const reopened = await browser.newContext({ storageState: state });
  const again = await reopened.newPage();
  await again.goto(`${server.base}/forms/contact`);
  await expectContact(again);
  await again.goto(`${server.base}/`);
  assert.match(await again.textContent('main'), /You have a draft of “Request information”/);
  await again.goto(`${server.base}/drafts`);
  assert.match(await again.textContent('.draft-list'), /First line Second line with emoji/);
  await again.screenshot({ path: join(artifacts, 'drafts-list.png'), fullPage: true });
  await reopened.close();
});

test('without JavaScript the Save draft button keeps every value', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/forms/contact`);
  await fillContact(page);
  await Promise.all([page.waitForURL(`${server.base}/forms/contact`), page.click('button[value="save"]')]);
  assert.match(await page.textContent('.flash'), /Your draft has been saved/);
  await page.reload();
  await expectContact(page);

  const state = await context.storageState();
  await context.close();
  const reopened = await browser.newContext({ javaScriptEnabled: false, storageState: state });
  const again = await reopened.newPage();
  await again.goto(`${server.base}/forms/contact`);
  await expectContact(again);

  // A failed submit keeps the input and shows the errors beside the fields.
  await again.fill('#f-email', 'not an address');
  await again.click('button[value="submit"]');
  assert.match(await again.textContent('#email-error'), /Enter an email address/);
  assert.equal(await again.inputValue('#f-email'), 'not an address');
  await again.fill('#f-email', 'zoe@example.org');
  await Promise.all([again.waitForURL(`${server.base}/forms/contact/thanks`), again.click('button[value="submit"]')]);
  await again.goto(`${server.base}/drafts`);
  assert.match(await again.textContent('main'), /You have no saved drafts/);
  await reopened.close();
});

test('two tabs: the second sees the conflict and chooses', async () => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const second = await context.newPage();
  await first.goto(`${server.base}/forms/contact`);
  await second.goto(`${server.base}/forms/contact`);

  await first.fill('#f-name', 'from the first tab');
  await first.locator('[data-draft-status]').filter({ hasText: 'Draft saved' }).waitFor({ timeout: 10000 });

  await second.fill('#f-name', 'from the second tab');
  const conflict = second.locator('[data-conflict]');
  await conflict.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await conflict.textContent(), /\(\d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+\)/, 'the server\'s time format');
  await second.screenshot({ path: join(artifacts, 'drafts-conflict.png'), fullPage: true });
  await second.click('[data-keep-mine]');
  await second.locator('[data-draft-status]').filter({ hasText: 'Draft saved' }).waitFor({ timeout: 10000 });

  await first.reload();
  assert.equal(await first.inputValue('#f-name'), 'from the second tab');

  // The other choice: the first tab, now stale again, takes the newer version.
  await second.fill('#f-name', 'second tab again');
  await second.locator('[data-draft-status] time').waitFor();
  await first.fill('#f-company', 'stale edit');
  await first.locator('[data-conflict]').waitFor({ state: 'visible', timeout: 10000 });
  await first.click('[data-use-saved]');
  assert.equal(await first.inputValue('#f-name'), 'second tab again');
  await context.close();
});

test('form pages pass the accessibility audit and fit a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
  const page = await context.newPage();
  for (const path of ['/forms/contact', '/forms/feedback', '/drafts', '/forms/contact/thanks']) {
    await page.goto(`${server.base}${path}`);
    assert.deepEqual(await audit(page), [], path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
  }
  await page.goto(`${server.base}/forms/contact`);
  await page.screenshot({ path: join(artifacts, 'contact-phone.png'), fullPage: true });
  await context.close();
});
