// A page on one origin calling dfdg on another, in headless Debian Chromium (playwright-core):
//   node cors.mjs <page-url> <chromium>
// Loads the page, waits for its window.dfdgResultat (what its fetch calls got) and prints one JSON
// line {resultat, konsol} with the browser console's messages (where Chromium reports CORS blocks).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, executablePath] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'dfdg-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const konsol = [];
  page.on('console', (m) => konsol.push(m.text()));
  page.on('pageerror', (e) => konsol.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.dfdgResultat !== undefined, null, { timeout: 30000 });
  const resultat = await page.evaluate(() => window.dfdgResultat);
  console.log(JSON.stringify({ resultat, konsol }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
