import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { Transcriber } from '../collector/audio';
import { exportDataset } from '../collector/export';
import type { RunningCollector } from '../collector/server';
import { openBrowser } from './support/browser';
import { startTestCollector, temporaryDirectory } from './support/collector-fixtures';

const HOSTILE = '<script>window.pwned = 1</script>no, the <b>red</b> block <img src=x onerror="window.pwned = 2">';

/** Consent given, the clip watched to its end; leaves the page on the reminder step. */
async function consentAndWatch(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('#consent-agree').check();
  await page.locator('#start').click();
  await page.locator('#watch-step').waitFor({ state: 'visible' });
  await page.locator('#to-remind:enabled').waitFor({ timeout: 15000 });
  await page.locator('#to-remind').click();
  await page.locator('#remind-step').waitFor({ state: 'visible' });
}

/** An expression evaluated in the page (a string: the tests are compiled without DOM types). */
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** What a script smuggled into a reminder would have set, had it run. */
const pwned = (page: Page): Promise<unknown> => inPage(page, 'window.pwned');
const focusedId = (page: Page): Promise<string | undefined> => inPage(page, 'document.activeElement?.id');

describe('collector page in headless Chromium', function () {
  this.timeout(90000);
  let collector: RunningCollector;
  let directory: string;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  const transcriber: Transcriber = { transcribe: async () => ({ text: 'pick the green block', confidences: [0.9, 0.9, 0.8, 0.7] }) };

  before(async () => {
    directory = temporaryDirectory('browser');
    collector = await startTestCollector(directory, { transcriber }, { seeds: 3 });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('takes a volunteer from consent through a clip, a typed reminder and a click into the database and the dataset', async () => {
    const page = await browser.context.newPage();
    await consentAndWatch(page, collector.url);
    const still = page.locator('#still');
    const box = await still.boundingBox();
    assert.ok(box && Math.abs(box.width - 480) < 1, `the still is shown at ${box?.width} px`);
    await still.click({ position: { x: 200, y: 150 } });
    assert.equal(await page.locator('#marker').isVisible(), true);
    await page.locator('#reminder-text').fill(HOSTILE);
    await page.locator('#submit').click();
    await page.locator('#done-step').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#saved-text').textContent(), HOSTILE);
    assert.equal(await pwned(page), undefined);
    assert.equal(await inPage<number>(page, 'document.querySelectorAll("script").length'), 2);

    const stored = collector.store.allReminders().find((r) => r.text === HOSTILE);
    assert.ok(stored, 'the reminder is in the database, verbatim');
    assert.ok(Math.abs(stored.clickU - 200) <= 1 && Math.abs(stored.clickV - 150) <= 1, `click ${stored.clickU}, ${stored.clickV}`);
    assert.ok(stored.worldX !== null && stored.answerMs > 0);

    const out = path.join(directory, 'dataset');
    exportDataset(collector.store, out);
    const rows = ['train', 'dev', 'test'].flatMap((split) =>
      fs.readFileSync(path.join(out, `${split}.jsonl`), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { text: string; attention: { u: number } }),
    );
    const exported = rows.find((r) => r.text === HOSTILE);
    assert.ok(exported, 'the reminder is in the exported dataset');
    assert.equal(exported.attention.u, stored.clickU);
    await page.close();
  });

  it('shows a reminder with markup as plain text in the admin view', async () => {
    const page = await browser.context.newPage();
    await page.goto(collector.adminUrl);
    assert.equal(new URL(page.url()).search, '', 'the token is gone from the address');
    const cell = page.locator('#recent td.text', { hasText: 'red' }).first();
    await cell.waitFor();
    assert.equal(await cell.textContent(), HOSTILE);
    assert.equal(await page.locator('#recent b, #recent img, #recent script').count(), 0);
    assert.equal(await pwned(page), undefined);
    assert.match((await page.locator('#counts').textContent()) ?? '', /tabletopwrong_pose3\d+/);
    await page.close();
  });

  it('keeps the admin view from a volunteer who has no token', async () => {
    const page = await browser.context.newPage();
    await page.context().clearCookies();
    const response = await page.goto(new URL('/admin', collector.url).href);
    assert.equal(response?.status(), 401);
    await page.close();
  });

  it('can be used with the keyboard alone, the arrow keys setting where to look', async () => {
    const page = await browser.context.newPage();
    await page.goto(collector.url);
    await page.locator('#consent-agree:focus').waitFor();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('KB-01');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#to-remind:enabled').waitFor({ timeout: 15000 });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'to-remind');
    await page.keyboard.press('Enter');
    await page.locator('#target:focus').waitFor();
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowUp');
    assert.match((await page.locator('#target-status').textContent()) ?? '', /Point chosen: middle, centre \(252, 156\)/);
    await page.keyboard.press('Tab');
    await page.keyboard.type('the blue block next to the bowl');
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'record');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#done-step').waitFor({ state: 'visible' });
    const stored = collector.store.allReminders().find((r) => r.volunteer === 'KB-01');
    assert.deepEqual([stored?.text, stored?.clickU, stored?.clickV], ['the blue block next to the bowl', 252, 156]);
    await page.close();
  });

  it('records from the microphone, shows the transcript for editing, and stores the edited text with the audio', async () => {
    const page = await browser.context.newPage();
    await consentAndWatch(page, collector.url);
    await page.locator('#record').click();
    await page.locator('#record[aria-pressed="true"]').waitFor();
    await page.waitForTimeout(800);
    await page.locator('#record').click();
    await page.locator('#record-status', { hasText: 'This is what we heard' }).waitFor();
    assert.equal(await page.locator('#reminder-text').inputValue(), 'pick the green block');
    await page.locator('#reminder-text').fill('pick the green block, not the red one');
    await page.locator('#still').click({ position: { x: 100, y: 100 } });
    await page.locator('#submit').click();
    await page.locator('#done-step').waitFor({ state: 'visible' });
    const stored = collector.store.allReminders().find((r) => r.text === 'pick the green block, not the red one');
    assert.equal(stored?.source, 'speech');
    assert.equal(stored?.transcript, 'pick the green block');
    const wav = fs.readFileSync(path.join(directory, stored?.audioPath as string));
    assert.equal(wav.readUInt32LE(24), 16000);
    assert.ok(wav.length > 44 + 16000 * 2 * 0.3, `${wav.length} bytes of audio`);
    await page.close();
  });

  it('says what is missing instead of sending a reminder without a point or text', async () => {
    const page = await browser.context.newPage();
    await consentAndWatch(page, collector.url);
    await page.locator('#submit').click();
    assert.match((await page.locator('#error').textContent()) ?? '', /Please show where the robot should look/);
    await page.locator('#still').click({ position: { x: 50, y: 50 } });
    await page.locator('#submit').click();
    assert.equal(await page.locator('#error').textContent(), 'Please type (or say) a reminder for the robot.');
    assert.equal(await focusedId(page), 'reminder-text');
    await page.close();
  });
});

describe('collector page on a phone', function () {
  this.timeout(90000);

  it('fits a 390 px wide touch screen and takes a tap as the point to look at', async () => {
    const directory = temporaryDirectory('phone');
    const collector = await startTestCollector(directory);
    const browser = await openBrowser({ viewport: { width: 390, height: 844 }, phone: true });
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url);
      await page.locator('#consent-agree').tap();
      await page.locator('#start').tap();
      await page.locator('#to-remind:enabled').waitFor({ timeout: 15000 });
      await page.locator('#to-remind').tap();
      assert.ok(await inPage<boolean>(page, 'document.documentElement.scrollWidth <= 390'), 'no sideways scrolling');
      const box = await page.locator('#still').boundingBox();
      assert.ok(box && box.width < 390 && box.width > 300, `the still is ${box?.width} px wide`);
      await page.locator('#still').tap({ position: { x: box.width / 2, y: box.height / 4 } });
      await page.locator('#reminder-text').fill('the cube behind it');
      await page.locator('#submit').tap();
      await page.locator('#done-step').waitFor({ state: 'visible' });
      const stored = collector.store.allReminders()[0];
      assert.ok(stored && Math.abs(stored.clickU - 240) <= 2 && Math.abs(stored.clickV - 90) <= 2, `tap stored at ${stored?.clickU}, ${stored?.clickV}`);
    } finally {
      await browser.close();
      await collector.close();
    }
  });
});
