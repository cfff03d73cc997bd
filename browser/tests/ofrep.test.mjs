// The official OpenFeature clients against a real tailor: the server SDK with the
// OFREP provider from Node (server mode, every kind of flag, a missing flag), and
// the web SDK with the OFREP web provider in headless Chromium on the operator's
// own page, served from another host of the same site (www.example.test and
// tailor.example.test, both mapped to loopback). Both run the snippets of docs/decisions.md
// as written, with only tailor's address changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { startServer, startBrowser, freePort, binary, root, artifacts, ADMIN } from '../harness.mjs';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const RULES = `
[segments.newsletter]
title = "Came from the newsletter"
when = { last_touch = { source = "newsletter" } }
[segments.pro]
when = { attribute = { name = "plan", equals = ["pro"] } }

[slots."home.hero"]
default = { title = { en = "Hello" } }
[[slots."home.hero".variants]]
name = "newsletter"
segment = "newsletter"
title = { en = "Welcome, reader" }

[slots."cart.note"]
default = { title = { en = "Free returns" } }

[experiments.note-copy]
slot = "cart.note"
goals = ["signup"]
[[experiments.note-copy.variants]]
name = "control"
weight = 1
[[experiments.note-copy.variants]]
name = "bold"
weight = 1
title = { en = "Free returns, always" }

[flags.checkout-layout]
default = "classic"
[[flags.checkout-layout.rules]]
segment = "pro"
value = "express"
[flags.show-banner]
default = false
[[flags.show-banner.rules]]
segment = "newsletter"
value = true
[flags.max-items]
default = 3
[flags.theme-config]
default = { color = "blue", size = 2 }

[goals.signup]
`;

/// The snippet of docs/decisions.md after `<!-- ${name} snippet`, as written.
function snippet(name) {
  const readme = readFileSync(join(root, 'docs', 'decisions.md'), 'utf8');
  const at = readme.indexOf(`<!-- ${name} snippet`);
  assert.ok(at >= 0, `docs/decisions.md has the ${name} snippet`);
  const start = readme.indexOf('```js\n', at) + '```js\n'.length;
  return readme.slice(start, readme.indexOf('```', start));
}

let server;
let browser;
let site;
let key;
let tailor;
let sitePort;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-ofrep-'));
  const rules = join(dir, 'rules.toml');
  writeFileSync(rules, RULES);
  // `tailor decision-key` prints a key and the hash to configure.
  const made = execFileSync(binary, ['decision-key'], { encoding: 'utf8' });
  key = made.match(/^key:\s+(\S+)/m)[1];
  const hash = made.match(/^sha256:\s+([0-9a-f]{64})/m)[1];
  sitePort = await freePort();
  server = await startServer({
    ROCKET_PERSONALISATION: `{file="${rules}"}`,
    ROCKET_DECISIONS: `{allowed_origins=["http://www.example.test:${sitePort}"],keys=[{name="backend",sha256="${hash}"}]}`,
  });
  tailor = `http://tailor.example.test:${server.port}`;
  // The operator's page: docs/decisions.md's browser snippet, bundled.
  mkdirSync(artifacts, { recursive: true });
  const entry = join(root, 'browser', 'artifacts', 'operator-site.mjs');
  const code = snippet('browser').replaceAll('https://tailor.example.com', tailor);
  writeFileSync(entry, `${code}\nwindow.flags = flags;\ndocument.body.dataset.ready = "1";\n`);
  const bundled = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const js = bundled.outputFiles[0].text;
  site = http.createServer((req, res) => {
    if (req.url === '/site.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(js);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><title>The operator\'s shop</title><body><h1>Shoes</h1><script type="module" src="/site.js"></script></body></html>');
  });
  await new Promise((resolve) => site.listen(sitePort, '127.0.0.1', resolve));
  browser = await startBrowser([
    `--host-resolver-rules=MAP www.example.test 127.0.0.1,MAP tailor.example.test 127.0.0.1`,
  ]);
});

after(async () => {
  await browser?.close();
  site?.close();
  server?.stop();
});

test('the server SDK with the OFREP provider reads every kind of flag', async () => {
  // The server snippet of docs/decisions.md, run as written (its `user` given).
  const file = join(root, 'browser', 'artifacts', 'operator-backend.mjs');
  const code = snippet('server').replaceAll('https://tailor.example.com', server.base);
  writeFileSync(file, `const user = { id: "u-42", plan: "pro" };\n${code}\nexport { flags, layout };\n`);
  process.env.TAILOR_KEY = key;
  const { flags, layout } = await import(pathToFileURL(file).href);
  assert.equal(layout, 'express', 'the attribute from a key is believed');
  const who = { targetingKey: 'u-42' };
  const layoutDetails = await flags.getStringDetails('checkout-layout', 'classic', who);
  assert.equal(layoutDetails.value, 'classic');
  assert.equal(layoutDetails.reason, 'STATIC');
  const banner = await flags.getBooleanDetails('show-banner', true, who);
  assert.equal(banner.value, false);
  assert.equal(banner.variant, 'default');
  assert.equal(await flags.getNumberValue('max-items', 0, who), 3);
  assert.deepEqual(await flags.getObjectValue('theme-config', {}, who), { color: 'blue', size: 2 });
  const slot = await flags.getObjectDetails('slot.home.hero', {}, who);
  assert.equal(slot.value.variant, 'default');
  assert.ok(slot.flagMetadata.why, 'every answer says why');
  // An experiment drawn for a subject is sticky.
  const drawn = await flags.getStringValue('experiment.note-copy', '', who);
  for (let i = 0; i < 3; i++) {
    assert.equal(await flags.getStringValue('experiment.note-copy', '', who), drawn);
  }
  // A body over one read (2 KB of attributes) is read whole; one over 64 KiB is 413.
  const big = { targetingKey: 'u-42', plan: 'pro' };
  for (let i = 0; i < 40; i++) big[`attr${i}`] = 'x'.repeat(40);
  assert.equal(await flags.getStringValue('checkout-layout', 'classic', big), 'express');
  const huge = await fetch(`${server.base}/ofrep/v1/evaluate/flags/max-items`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify({ context: { targetingKey: 'u-42', pad: 'x'.repeat(70000) } }),
  });
  assert.equal(huge.status, 413);
  // A missing flag: the code's default, FLAG_NOT_FOUND.
  const missing = await flags.getBooleanDetails('no-such-flag', true, who);
  assert.equal(missing.value, true);
  assert.equal(missing.errorCode, 'FLAG_NOT_FOUND');
  // A flag of another type: the default, TYPE_MISMATCH.
  const mismatch = await flags.getNumberDetails('checkout-layout', 7, who);
  assert.equal(mismatch.value, 7);
  assert.equal(mismatch.errorCode, 'TYPE_MISMATCH');
});

/// Opens the operator's page `path` and waits for the flags.
async function operatorPage(page, path) {
  await page.goto(`http://www.example.test:${sitePort}${path}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
}

/// The experiments CSV's line of note-copy's `variant`, as cells.
async function reportLine(variant) {
  const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
  const csv = await (await fetch(`${server.base}/admin/experiments.csv`, { headers: { Authorization: auth } })).text();
  const line = csv.split('\r\n').find((l) => l.startsWith(`"note-copy","${variant}",`));
  return line ? line.split(',') : [];
}

const participants = async (variant) => Number((await reportLine(variant))[2] ?? 0);
const conversions = async (variant) => Number((await reportLine(variant))[5] ?? 0);

test('the web SDK on the operator\'s page decides as tailor\'s own pages do', async () => {
  const context = await browser.newContext({ userAgent: CHROME });
  const page = await context.newPage();
  const failed = [];
  page.on('pageerror', (e) => failed.push(String(e)));
  // The server SDK's subject of the test before may take part too.
  const before = { control: await participants('control'), bold: await participants('bold') };
  // A newsletter landing on the operator's page: personalised on the first call.
  await operatorPage(page, '/shoes?utm_source=newsletter&utm_campaign=spring');
  const hero = await page.evaluate(() => window.flags.getObjectValue('slot.home.hero', {}));
  assert.equal(hero.variant, 'newsletter');
  assert.equal(hero.title, 'Welcome, reader');
  assert.deepEqual(
    await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ofrep'))),
    [],
    'nothing of the visitor kept in localStorage',
  );
  // Then tailor's own home page shows the same variant: one session.
  await page.goto(`${tailor}/`);
  assert.equal(await page.locator('[data-slot="home.hero"]').getAttribute('data-variant'), 'newsletter');
  // Back on the operator's site, without a campaign: the bulk evaluation sees the
  // session's segments.
  await operatorPage(page, '/checkout');
  assert.equal(await page.evaluate(() => window.flags.getBooleanValue('segment.newsletter', false)), true);
  assert.equal(await page.evaluate(() => window.flags.getBooleanValue('show-banner', false)), true);
  // An experiment assigned through the API is the one tailor's page shows, and
  // the hook's exposure plus tailor's page count one participant.
  const variant = await page.evaluate(() => window.flags.getStringValue('experiment.note-copy', ''));
  assert.ok(['control', 'bold'].includes(variant), variant);
  const note = await page.evaluate(() => window.flags.getObjectValue('slot.cart.note', {}));
  // Control shows the slot's default, on tailor's pages as in the answer.
  assert.equal(note.variant, variant === 'control' ? 'default' : variant);
  await page.goto(`${tailor}/cart`);
  assert.equal(await page.locator('[data-slot="cart.note"]').getAttribute('data-variant'), note.variant);
  await page.reload();
  assert.equal(await participants(variant), before[variant] + 1, 'one participant');
  // A conversion from the operator's page, credited to the variant.
  await operatorPage(page, '/thanks');
  const recorded = await page.evaluate(async (base) => {
    const r = await fetch(`${base}/api/v1/events`, {
      method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'conversion', goal: 'signup', id: 'order-1' }),
    });
    return (await r.json()).recorded;
  }, tailor);
  assert.equal(recorded, 1);
  assert.equal(await conversions(variant), 1);
  // Forget me on tailor: the next evaluation knows nothing of the visitor.
  await page.goto(`${tailor}/privacy`);
  await Promise.all([page.waitForURL(/privacy|\/$/), page.click('form[action="/privacy/forget"] button')]);
  await operatorPage(page, '/after');
  assert.equal(await page.evaluate(() => window.flags.getBooleanValue('segment.newsletter', true)), false);
  const after = await page.evaluate(() => window.flags.getObjectValue('slot.home.hero', {}));
  assert.equal(after.variant, 'default');
  assert.deepEqual(failed, [], 'no error on the operator\'s page');
  await page.screenshot({ path: join(artifacts, 'ofrep-operator-site.png') });
  await context.close();
});

test('a page of an origin not allowed gets no answer', async () => {
  const context = await browser.newContext({ userAgent: CHROME });
  const page = await context.newPage();
  await page.goto(`${tailor}/`);
  // tailor's own origin is not one of decisions.allowed_origins: the preflight
  // fails, so the browser refuses the answer.
  const outcome = await page.evaluate(async (base) => {
    try {
      const r = await fetch(`http://tailor.example.test:${base}/ofrep/v1/evaluate/flags`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"context":{}}',
      });
      return `status ${r.status}`;
    } catch (e) {
      return 'refused';
    }
  }, server.port);
  // Same origin: no CORS, but tailor still refuses an Origin it does not list.
  assert.equal(outcome, 'status 403');
  await context.close();
});
