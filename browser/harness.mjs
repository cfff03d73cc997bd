// Starts a real tailor server and a real headless Chromium for the browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');
export const artifacts = join(root, 'browser', 'artifacts');
const require = createRequire(import.meta.url);

export const THEMES = ['light', 'dark', 'system', 'high-contrast'];

/// The operator credentials the test server is started with.
export const ADMIN = { username: 'ops', password: 'browser-test-password' };

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/// Launches target/debug/tailor on a free port with a fresh data directory, with
/// `env` (ROCKET_* settings) added.
export const binary = process.env.TAILOR_BIN || join(root, 'target', 'debug', 'tailor');

export async function startServer(env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-browser-'));
  const child = spawn(binary, [], {
    cwd: root,
    env: {
      ...process.env,
      ROCKET_PORT: String(port),
      ROCKET_ADDRESS: '127.0.0.1',
      ROCKET_LOG_LEVEL: 'critical',
      ROCKET_SESSION: `{data_dir="${dataDir}"}`,
      ROCKET_ADMIN: `{user="${ADMIN.username}",password="${ADMIN.password}"}`,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return { base, port, stop: () => child.kill('SIGTERM') };
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`tailor exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('tailor did not answer /healthz within 20 s');
}

/// Debian's Chromium, headless, with the flags this closed network needs (and
/// `extra` ones).
export async function startBrowser(extra = []) {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extra,
    ],
  });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/// Runs axe-core on the page (evaluated through DevTools, so the CSP stays on) and
/// returns the serious and critical violations.
export async function audit(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/// Saves the preferences form with the given theme and language.
export async function savePreferences(page, base, { theme, language }) {
  await page.goto(`${base}/preferences`);
  if (theme) await page.check(`input[name="theme"][value="${theme}"]`);
  if (language !== undefined) await page.selectOption('#language', language);
  await Promise.all([page.waitForURL(`${base}/preferences`), page.click('button[type="submit"]')]);
}
