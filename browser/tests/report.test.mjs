// The experiments report at size, in a real browser: 10 experiments of 4
// variants and 5 goals, each in its second version (the first one's figures
// under it), one split far from its weights (the warning), one whose weights
// changed (the earlier split). Light and dark, on a desk and a phone, in English
// and Spanish, with nothing for axe-core to find. The data directory is seeded
// by the report's benchmark (`SEED_DIR=... experiments_report`), so the page is
// the one bench/report times.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { startServer, startBrowser, audit, artifacts, savePreferences, ADMIN, root } from '../harness.mjs';

let server;
let browser;
const dataDir = mkdtempSync(join(tmpdir(), 'tailor-report-'));

before(async () => {
  const seed = spawnSync(join(root, 'target', 'debug', 'examples', 'experiments_report'), [], {
    env: { ...process.env, SEED_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  assert.equal(seed.status, 0, 'the report benchmark seeds the data directory');
  server = await startServer({
    ROCKET_SESSION: `{data_dir="${dataDir}"}`,
    ROCKET_PERSONALISATION: `{file="${join(dataDir, 'rules.toml')}"}`,
  });
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the report at size reads well in every theme and size, and says what it must', async () => {
  for (const [width, height, size] of [[1280, 900, 'desk'], [390, 844, 'phone']]) {
    const context = await browser.newContext({
      viewport: { width, height },
      httpCredentials: { username: ADMIN.username, password: ADMIN.password },
    });
    const page = await context.newPage();
    for (const theme of ['light', 'dark']) {
      await savePreferences(page, server.base, { theme });
      await page.goto(`${server.base}/admin/experiments`);
      const main = await page.textContent('main');
      assert.match(main, /The split does not match the weights \(p < 0\.0001\): do not trust these results/);
      assert.match(main, /Weights changed on/);
      assert.match(main, /Earlier figures: version 1/);
      assert.match(main, /Flips: 0/);
      assert.equal(await page.locator('section.experiment').count(), 10);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      assert.deepEqual(await audit(page), [], `/admin/experiments, ${size}, ${theme}`);
      await page.screenshot({ path: join(artifacts, `report-${size}-${theme}.png`) });
    }
    await context.close();
  }
  const spanish = await browser.newContext({
    locale: 'es-ES',
    httpCredentials: { username: ADMIN.username, password: ADMIN.password },
  });
  const page = await spanish.newPage();
  await page.goto(`${server.base}/admin/experiments`);
  const main = await page.textContent('main');
  assert.match(main, /no confíe en estos resultados/);
  assert.match(main, /Los pesos cambiaron el/);
  assert.match(main, /Cifras anteriores: versión 1/);
  await spanish.close();
});
