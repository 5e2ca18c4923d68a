/**
 * Takes the README's picture of the volunteer page (a kitchen clip, a point chosen and a reminder
 * typed): node dist/test/support/collector-screenshot.js docs/images/collector.png
 */
import * as path from 'path';
import { openBrowser } from './browser';
import { startTestCollector, temporaryDirectory } from './collector-fixtures';

async function main(out: string): Promise<void> {
  const collector = await startTestCollector(temporaryDirectory('screenshot'), {}, { scenarios: ['kitchen'], mistakes: ['wrong_object'] });
  const browser = await openBrowser({ viewport: { width: 760, height: 1000 } });
  try {
    const page = await browser.context.newPage();
    await page.goto(collector.url);
    await page.locator('#consent-agree').check();
    await page.locator('#volunteer-code').fill('P-017');
    await page.locator('#start').click();
    await page.locator('#to-remind:enabled').waitFor({ timeout: 30000 });
    await page.locator('#to-remind').click();
    await page.locator('#still').click({ position: { x: 300, y: 215 } });
    await page.locator('#reminder-text').fill('No, not that glass: give me the blue cup on your left.');
    await page.locator('#reminder-text').blur();
    await page.screenshot({ path: out, fullPage: true });
    process.stdout.write(`${out}\n`);
  } finally {
    await browser.close();
    await collector.close();
  }
}

main(path.resolve(process.argv[2] ?? 'docs/images/collector.png')).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
