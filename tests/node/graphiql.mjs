// GraphiQL in headless Debian Chromium (playwright-core, no downloaded browser):
//   node graphiql.mjs <graphql-url> <token> <query> <expect-text> <screenshot.png> <chromium>
// Loads the IDE, types the query, puts the token in the Headers tab, runs it, waits for the
// expected text in the result pane, saves a screenshot. Prints one JSON line {result, requests}.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, token, query, expect, screenshot, executablePath] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'dfdg-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const external = [];
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin)) external.push(r.url()); });
  const failures = [];
  page.on('pageerror', (e) => failures.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20000 });

  const setEditor = (selector, value) => page.evaluate(([sel, v]) => {
    document.querySelector(sel).CodeMirror.setValue(v);
  }, [selector, value]);
  await setEditor('.graphiql-query-editor .CodeMirror', query);

  // The Headers tab of the editor tools, then its editor.
  await page.click('.graphiql-editor-tools button[data-name="headers"]');
  const headersEditor = page.locator('.graphiql-editor-tool .CodeMirror:visible');
  await headersEditor.waitFor({ timeout: 10000 });
  await headersEditor.evaluate((node, v) => node.CodeMirror.setValue(v), JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));

  await page.click('.graphiql-execute-button');
  await page.waitForFunction((text) => {
    const pane = document.querySelector('.graphiql-response .CodeMirror');
    return pane && pane.CodeMirror.getValue().includes(text);
  }, expect, { timeout: 20000 });
  const result = await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue());
  await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ result: JSON.parse(result), external, failures }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
