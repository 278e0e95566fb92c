// The fake server's web console in a real browser: Debian chromium driven by playwright-core,
// against a FakeFlyteServer with a real Pack (the SDK over HTTP) taking the actions.
import { type Browser, chromium, type Page } from 'playwright-core';
import { Pack } from '../../../lib/pack/pack.js';
import { FakeFlyteServer } from '../../../lib/testing/fake-flyte-server.js';
import { chromiumPath, HEADLESS_CHROMIUM_FLAGS } from '../../support/chromium.js';

const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const echoed = { name: 'Echoed' };
const noticed = { name: 'Noticed' };

describe('the fake server console (/_fake/ui) in chromium', () => {
  let browser: Browser;
  let server: FakeFlyteServer;
  let pack: Pack;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [...HEADLESS_CHROMIUM_FLAGS],
    });
    page = await browser.newPage();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    server = new FakeFlyteServer();
    await server.start();
    pack = new Pack(
      {
        name: 'echo-pack',
        labels: { env: 'dev' },
        commands: [
          {
            name: 'Echo',
            outputEvents: [echoed],
            handler: (input) => ({ eventDef: echoed, payload: { echo: input } }),
          },
        ],
        events: [noticed],
      },
      { url: server.url, logger: quiet, polling: { interval: 500 } },
    );
    await pack.start();
    await page.goto(`${server.url}/_fake/ui`);
    // the pack's command shows up in the picker once the console has polled
    await page.waitForSelector('#create-command option[value*="Echo"]', { state: 'attached' });
  }, 30_000);

  afterEach(async () => {
    await pack?.stop({ grace: 1000, flushDeadline: 1000 });
    await server?.close();
  });

  it('lists the pack, creates an action from the form; the running pack completes it and the console shows SUCCESS and the result without a reload', async () => {
    const card = page.locator('[data-pack-id="echo-pack.env.dev"]');
    const text = await card.innerText();
    expect(text).toContain('echo-pack');
    expect(text).toContain('Echo → Echoed');
    expect(text).toContain('Noticed');
    expect(text).toContain('env=dev');
    await page.fill('#create-input', '{"team": "payments"}');
    await page.click('#create-submit');
    await page.waitForSelector('#create-status:has-text("Created action-")');
    const [action] = server.actions();
    expect(action).toEqual(
      jasmine.objectContaining({
        packName: 'echo-pack',
        packLabels: { env: 'dev' },
        command: 'Echo',
        input: { team: 'payments' },
      }),
    );
    const row = page.locator(`tr[data-action-id="${action!.id}"]`);
    await page.waitForSelector(`tr[data-action-id="${action!.id}"][data-state="SUCCESS"]`, {
      timeout: 10_000,
    });
    expect(await row.locator('.state').innerText()).toBe('SUCCESS');
    expect(await row.locator('.result-event').innerText()).toBe('Echoed');
    expect(JSON.parse(await row.locator('.result pre').innerText())).toEqual({
      echo: { team: 'payments' },
    });
    expect(await row.locator('.history').innerText()).toMatch(/NEW[\s\S]*PENDING[\s\S]*SUCCESS/);
    expect(server.action(action!.id)?.state).toBe('SUCCESS');
  }, 20_000);

  it('refuses bad JSON input with a clear error and creates nothing', async () => {
    await page.fill('#create-input', '{"team": payments}');
    await page.click('#create-submit');
    const error = page.locator('#create-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/^Input is not valid JSON: .+/);
    expect(await page.getAttribute('#create-input', 'aria-invalid')).toBe('true');
    expect(server.actions()).toEqual([]);
    // fixing the input clears the error and creates the action
    await page.fill('#create-input', '"payments"');
    await page.click('#create-submit');
    await page.waitForSelector('#create-status:has-text("Created action-")');
    expect(await error.isHidden()).toBeTrue();
    expect(server.actions().map((a) => a.input)).toEqual(['payments']);
  });

  it('says so when no pack has registered a command yet', async () => {
    await pack.stop({ grace: 1000, flushDeadline: 1000 });
    server.deletePack('echo-pack.env.dev');
    await page.waitForSelector('#create-command:disabled');
    await page.click('#create-submit', { force: true });
    expect(await page.locator('#create-error').innerText()).toContain('Choose a command');
    expect(server.actions()).toEqual([]);
  });

  it('shows spontaneous events as they arrive', async () => {
    await pack.sendEvent({ eventDef: noticed, payload: { who: 'ann' } });
    const row = page.locator('tr[data-event="Noticed"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('echo-pack.env.dev');
    expect(JSON.parse(await row.locator('pre').innerText())).toEqual({ who: 'ann' });
  });

  it('sets and clears faults and health through the fault switch, and shows faults set elsewhere', async () => {
    await page.locator('#fault-error-rate').fill('30');
    await page.fill('#fault-latency', '120');
    await page.click('#faults-apply');
    await page.waitForSelector('#faults-current:has-text("error rate 30%")');
    expect(server.faultConfig()).toEqual({ seed: 1, errorRate: 0.3, latencyMs: 120 });
    expect(await page.innerText('#faults-current')).toContain('latency 120 ms');
    await page.fill('#fault-latency', '-5');
    await page.click('#faults-apply');
    expect(await page.innerText('#faults-error')).toContain('Latency must be a whole number');
    await page.click('#faults-clear');
    await page.waitForSelector('#faults-current:has-text("No faults")');
    expect(server.faultConfig()).toEqual({ seed: 1 });
    await page.uncheck('#health-toggle');
    await server.waitFor((s) => !s.isHealthy(), { signal: AbortSignal.timeout(5000) });
    expect((await fetch(`${server.url}/health`)).status).toBe(500);
    // and picks up faults set elsewhere (POST /_fake/faults) without a reload
    server.setFaults({ dropRate: 0.5, dropWhen: 'after' });
    await page.waitForSelector('#faults-current:has-text("drop rate 50% (after)")');
    expect(await page.inputValue('#fault-drop-rate')).toBe('50');
  });
});
