import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { PLANTED_SECRET, startTestServer, type TestServer } from './__fixtures__/server-test-kit';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(fileURLToPath(new URL('../../../', import.meta.url)), 'tmp', 'artifacts', 'dashboard.png');
const hasChromium = existsSync(CHROMIUM);

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Integration {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}

describe('the dashboard over HTTP', () => {
  it('serves the page and its two files with a strict policy, and nothing else from the folder', async () => {
    running = await startTestServer();
    const { call } = running;
    const page = await call('GET', '/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.text).toContain('<script type="module" src="/dashboard/dashboard.js">');

    const script = await call('GET', '/dashboard/dashboard.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.text).not.toContain('innerHTML');
    expect((await call('GET', '/dashboard/dashboard.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');

    for (const path of ['/dashboard/index.htm', '/dashboard/..%2Fpackage.json', '/dashboard/%2e%2e%2fREADME.md']) {
      const missing = await call('GET', path);
      expect(missing.status, path).toBe(404);
      expect(missing.body).toMatchObject({ kind: 'not_found' });
    }
    const document = running.server.openApi() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/dashboard', '/dashboard/{file}', '/api/v1/events']));
    expect(await new Validator().validate(document)).toMatchObject({ valid: true });
  });

  it('lists recent events, newest first, filtered, for a key with the read scope only', async () => {
    running = await startTestServer();
    const { call, keys } = running;
    expect((await call('GET', '/api/v1/events')).status).toBe(401);
    const created = (await call('POST', '/api/v1/integrations', { key: keys.admin, body: { providerId: 'primary', name: 'Primary' } }))
      .body as Integration;
    await call('POST', `/api/v1/integrations/${created.id}/disconnect`, { key: keys.admin });

    const recent = await call('GET', `/api/v1/events?integrationId=${created.id}&limit=2`, { key: keys.read });
    expect(recent.status).toBe(200);
    const events = (recent.body as { events: { type: string; integrationId: string }[] }).events;
    expect(events.map((event) => event.type)).toEqual(['audit.integration.disconnected', 'integration.disconnected']);
    expect(recent.text).not.toContain(PLANTED_SECRET);
    const audits = await call('GET', '/api/v1/events?type=audit.integration.created', { key: keys.read });
    expect(audits.body).toMatchObject({ events: [{ type: 'audit.integration.created', integrationId: created.id }] });
    expect((await call('GET', '/api/v1/events?limit=0', { key: keys.read })).body).toMatchObject({ errors: [{ field: 'query.limit' }] });
  });
});

if (!hasChromium) console.warn(`Skipping the dashboard browser test: chromium is missing at ${CHROMIUM} (.ci/run installs it with apt).`);

describe.skipIf(!hasChromium)('the dashboard in headless Chromium', () => {
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  afterEach(async () => {
    await context?.close().catch(() => undefined);
    if (profile !== undefined) await rm(profile, { recursive: true, force: true }).catch(() => undefined);
    context = undefined;
    profile = undefined;
  });

  it('shows one card per integration and switching one off disables it in the API', { timeout: 60_000 }, async () => {
    running = await startTestServer();
    const { call, keys, url } = running;
    const create = async (body: Record<string, unknown>) =>
      (await call('POST', '/api/v1/integrations', { key: keys.admin, body })).body as Integration;
    const backup = await create({ providerId: 'backup', name: 'Backup storage' });
    const primary = await create({ providerId: 'primary', name: 'Primary storage' });
    const archive = await create({
      providerId: 'backup',
      name: 'Archive <b>bold</b>',
      settings: { description: 'Cold copies <img src=x onerror=alert(1)>' },
    });
    expect([backup.status, primary.status, archive.status]).toEqual(['active', 'active', 'active']);
    // A call the router fails over: the primary's failure lowers its health score.
    const put = { capability: 'storage', operation: 'putObject', input: { bucket: 'reports', key: 'a.txt', body: 'a', encoding: 'utf8' } };
    expect((await call('POST', '/api/v1/execute', { key: keys.execute, body: put })).body).toMatchObject({ provider: 'backup' });

    profile = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (entry) => {
      if (entry.type() === 'error' && !entry.location().url.endsWith('/favicon.ico')) problems.push(entry.text());
    });

    await page.goto(`${url}/dashboard`);
    await page.getByLabel('API key').fill(keys.admin);
    await page.getByRole('button', { name: 'Use key' }).click();
    const cards = page.locator('#cards > li');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(3);
    await page.locator('#events tr').first().waitFor();

    const archiveCard = cards.filter({ has: page.getByRole('heading', { name: 'Archive <b>bold</b>' }) });
    expect(await archiveCard.locator('.description').textContent()).toBe('Cold copies <img src=x onerror=alert(1)>');
    expect(await page.locator('#cards img, #cards b').count()).toBe(0);
    const backupCard = cards.filter({ has: page.getByRole('heading', { name: 'Backup storage' }) });
    expect(await backupCard.locator('.description').textContent()).toBe('In-memory storage');
    expect(await backupCard.locator('dl').textContent()).toMatch(/Typebackup · cloud.*Statusactive.*Health\d+ \/ 100.*Breakerclosed/);

    const primaryCard = cards.filter({ has: page.getByRole('heading', { name: 'Primary storage' }) });
    expect(await primaryCard.locator('dl').textContent()).not.toContain('100 / 100');

    const toggle = backupCard.getByRole('switch', { name: 'Enabled (Backup storage)' });
    expect(await toggle.isChecked()).toBe(true);
    const disconnected = page.waitForResponse((response) => response.url().endsWith(`/api/v1/integrations/${backup.id}/disconnect`));
    await toggle.click();
    expect((await disconnected).status()).toBe(200);
    expect((await call('GET', `/api/v1/integrations/${backup.id}`, { key: keys.read })).body).toMatchObject({ status: 'disabled' });
    expect((await call('GET', `/api/v1/integrations/${archive.id}`, { key: keys.read })).body).toMatchObject({ status: 'active' });
    await page.locator('#events code', { hasText: 'integration.disconnected' }).first().waitFor();

    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });
});
