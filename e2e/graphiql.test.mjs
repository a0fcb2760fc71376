// Browser test of the GraphiQL page, in headless Chromium driven by
// playwright-core. It checks that the page works with no internet: every
// request stays on the server under test, GraphiQL renders with the
// preloaded query, the query runs, and the docs explorer shows the schema.
//
//   BASE_URL=http://127.0.0.1:8080 node --test graphiql.test.mjs
//
// or let run.sh start the binary. CHROMIUM may point at another Chromium
// (default /usr/bin/chromium, Debian's package). A screenshot goes to
// artifacts/graphiql.png (artifacts/graphiql-failure.png when a step fails).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const STEP_TIMEOUT = 15_000;

// launch starts Chromium as TOOLING.md says: a persistent context in a temp
// dir (Playwright refuses --user-data-dir in args), and no background
// networking, which would only flood the closed network with refused
// connections.
async function launch() {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'handlingsplan-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// watch records everything that should fail the test: requests that leave
// the server under test, failed or 4xx/5xx responses, uncaught page errors,
// console errors and Content-Security-Policy violations.
async function watch(context, baseURL) {
  const problems = { foreignRequests: [], badResponses: [], pageErrors: [], consoleErrors: [] };
  const local = (url) => {
    const u = new URL(url);
    return !['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) || u.host === baseURL.host;
  };
  context.on('request', (req) => {
    if (!local(req.url())) problems.foreignRequests.push(`${req.method()} ${req.url()}`);
  });
  context.on('requestfailed', (req) => {
    problems.badResponses.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  context.on('response', (res) => {
    if (res.status() >= 400) problems.badResponses.push(`${res.request().method()} ${res.url()}: ${res.status()}`);
  });
  context.on('weberror', (err) => problems.pageErrors.push(String(err.error())));
  context.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  // Runs before the page's own scripts; not subject to the page's CSP.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} ${e.sample || ''}`.trim());
    });
  });
  return problems;
}

// editorValue reads a CodeMirror 5 editor's text (GraphiQL 4 uses CM5).
function editorValue(page, selector) {
  return page.evaluate((sel) => document.querySelector(sel)?.CodeMirror?.getValue() ?? null, selector);
}

// step runs one stage of the scenario and names it in any failure.
async function step(t, name, fn) {
  try {
    await fn();
  } catch (err) {
    err.message = `${name}: ${err.message}`;
    throw err;
  }
  t.diagnostic(`ok - ${name}`);
}

test('GraphiQL works offline: renders, runs the preloaded query, shows the docs', { timeout: 120_000 }, async (t) => {
  assert.ok(process.env.BASE_URL, 'set BASE_URL to the server under test, e.g. http://127.0.0.1:8080');
  const baseURL = new URL(process.env.BASE_URL);
  mkdirSync(artifacts, { recursive: true });

  const browser = await launch();
  t.after(() => browser.close());
  const problems = await watch(browser.context, baseURL);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());

  try {
    await step(t, 'loads the page', async () => {
      const resp = await page.goto(new URL('/', baseURL).href, { waitUntil: 'load' });
      assert.equal(resp.status(), 200, 'GET / status');
      assert.match(resp.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'CSP header on the page');
    });

    await step(t, 'renders with the preloaded query', async () => {
      const want = await page.getAttribute('#graphiql', 'data-default-query');
      assert.ok(want, 'the server preloads a query (Config.DefaultQuery is empty)');
      await page.waitForFunction(
        (q) => document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.getValue() === q,
        want,
      );
    });

    await step(t, 'runs the query and shows a JSON result with "data"', async () => {
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => {
        const v = document.querySelector('.result-window .CodeMirror')?.CodeMirror?.getValue() ?? '';
        return v.includes('"data"') || v.includes('"errors"');
      });
      const text = await editorValue(page, '.result-window .CodeMirror');
      const result = JSON.parse(text);
      assert.equal(result.errors, undefined, `the preloaded query returned errors:\n${text}`);
      assert.ok(result.data && typeof result.data === 'object', `no "data" in the result:\n${text}`);
    });

    await step(t, 'the docs explorer lists Query and its fields', async () => {
      await page.click('button[aria-label="Show Documentation Explorer"]');
      const queryLink = page
        .locator('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
        .first();
      await queryLink.waitFor();
      await queryLink.click();
      await page.locator('.graphiql-doc-explorer-title', { hasText: /^Query$/ }).waitFor();
      const fields = await page.locator('.graphiql-doc-explorer .graphiql-doc-explorer-field-name').count();
      assert.ok(fields > 0, 'Query shows no fields');
    });

    await step(t, 'opens and closes a dialog', async () => {
      // GraphiQL's dialogs inject a <style>; the page's CSP allows it only via
      // the per-response nonce that graphiql-init.js hands to GraphiQL, so a
      // broken hand-over shows up as a CSP violation below.
      await page.click('button[aria-label="Open settings dialog"]');
      await page.locator('[role="dialog"]').waitFor();
      await page.keyboard.press('Escape');
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    });

    await page.screenshot({ path: path.join(artifacts, 'graphiql.png') });
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, 'graphiql-failure.png') }).catch(() => {});
    err.message += `\nrecorded so far: ${JSON.stringify(problems, null, 2)}`;
    throw err;
  }

  await step(t, 'no request left the server, no errors, no CSP violations', async () => {
    const cspViolations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(
      { ...problems, cspViolations },
      { foreignRequests: [], badResponses: [], pageErrors: [], consoleErrors: [], cspViolations: [] },
    );
  });
});
