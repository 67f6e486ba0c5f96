// Scenario 7 — lighthouse: Lighthouse 12 in its default mobile mode (a mid-range phone, 4× CPU
// slowdown, simulated slow 4G: 150 ms RTT, 1.6 Mbit/s) against the built server, cold (no HTTP
// cache, no service worker), on the sign-in page and on the signed-in map. Scores and paint times
// per repetition; no baseline (the target is Lighthouse's own ≥ 95).
//
// The signed-in run starts with the session in localStorage, written on `/api/health` (same
// origin, so the page's storage; no app shell there, so no service worker and nothing cached),
// and runs with Lighthouse's storage reset off, which would otherwise sign it out again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_PASSWORD, post } from '../lib/accounts.mjs';
import { ROOT, importChromeLauncher, importLighthouse, playwright } from '../lib/deps.mjs';
import { tasksetAvailable } from '../lib/proc.mjs';
import { SERVER_CORE, startTruceline } from '../lib/servers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// SwiftShader: MapLibre needs WebGL, and this machine has no GPU.
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'bench-lighthouse-password';

/** Whether scenario 7 can run: a built client and a Chromium. */
export function lighthouseAvailable() {
  if (!fs.existsSync(path.join(ROOT, 'client', 'dist', 'index.html'))) return 'client/dist is missing (build the client: pnpm build)';
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`;
  return undefined;
}

/** The figures of one Lighthouse report that the table shows. */
function figures(lhr) {
  const audit = (id) => lhr.audits[id];
  return {
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
    fcp: audit('first-contentful-paint').numericValue,
    lcp: audit('largest-contentful-paint').numericValue,
    tbt: audit('total-blocking-time').numericValue,
    cls: audit('cumulative-layout-shift').numericValue,
    unusedJsKiB: (audit('unused-javascript').details?.overallSavingsBytes ?? 0) / 1024,
    jsKiB: (audit('resource-summary').details?.items?.find((i) => i.resourceType === 'script')?.transferSize ?? 0) / 1024,
    shortCache: audit('uses-long-cache-ttl').details?.items?.length ?? 0,
    warnings: lhr.runWarnings,
  };
}

/** One cold Lighthouse run of `url` in a fresh Chromium; `session` is written first when given. */
async function runOnce(lighthouse, launch, url, session) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-lh-'));
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, userDataDir, logLevel: 'silent' });
  try {
    if (session) {
      const browser = await playwright().chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
      const page = browser.contexts()[0].pages()[0] ?? (await browser.contexts()[0].newPage());
      await page.goto(`${new URL(url).origin}/api/health`);
      await page.evaluate((value) => localStorage.setItem('truceline.session', value), JSON.stringify(session));
      await page.goto('about:blank');
      // Leaves Chromium running: closing a CDP connection does not close the browser.
      await browser.close();
    }
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', disableStorageReset: Boolean(session) });
    if (!result) throw new Error('lighthouse returned nothing');
    if (result.lhr.runtimeError) throw new Error(`lighthouse: ${result.lhr.runtimeError.message}`);
    return figures(result.lhr);
  } finally {
    chrome.kill();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

export async function lighthouseScenario(ctx) {
  const missing = lighthouseAvailable();
  if (missing) {
    ctx.log(`lighthouse: skipped (${missing})`);
    return;
  }
  const { default: lighthouse } = await importLighthouse();
  const { launch } = await importChromeLauncher();
  const dataDir = fs.mkdtempSync(path.join(ctx.runDir, 'lighthouse-'));
  const server = await startTruceline(dataDir);
  try {
    const admin = await post(server.url, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    await post(server.url, '/api/users', { username: 'lighthouse-monitor', password: PASSWORD, role: 'monitor' }, admin.token);
    const { token, user } = await post(server.url, '/api/auth/login', { username: 'lighthouse-monitor', password: PASSWORD });
    const pages = [
      { label: 'lighthouse sign-in', session: undefined },
      { label: 'lighthouse signed-in map', session: { status: 'signed-in', token, user } },
    ];
    for (const { label, session } of pages) {
      const runs = [];
      for (let rep = 0; rep < ctx.reps; rep++) {
        ctx.log(`${label}: run ${rep + 1}/${ctx.reps}`);
        runs.push(await runOnce(lighthouse, launch, `${server.url}/`, session));
      }
      const t = (pick) => runs.map(pick);
      const warnings = [...new Set(runs.flatMap((r) => r.warnings))];
      const load = os.loadavg()[0].toFixed(2);
      ctx.record({ scenario: label, metric: 'performance score', unit: 'pts', t: t((r) => r.performance), target: { min: 95 } });
      ctx.record({ scenario: label, metric: 'accessibility score', unit: 'pts', t: t((r) => r.accessibility), target: { min: 95 } });
      ctx.record({ scenario: label, metric: 'first contentful paint', unit: 'ms', t: t((r) => r.fcp) });
      ctx.record({ scenario: label, metric: 'largest contentful paint', unit: 'ms', t: t((r) => r.lcp) });
      ctx.record({ scenario: label, metric: 'total blocking time', unit: 'ms', t: t((r) => r.tbt) });
      ctx.record({ scenario: label, metric: 'JavaScript transferred', unit: 'KiB', t: t((r) => r.jsKiB) });
      ctx.record({
        scenario: label,
        metric: 'unused JavaScript',
        unit: 'KiB',
        t: t((r) => r.unusedJsKiB),
        note: `assets without a long cache lifetime: ${t((r) => r.shortCache).join(', ')}; load average (1 min) after the runs: ${load}; ${
          tasksetAvailable() ? `server on core ${SERVER_CORE}, ` : ''
        }Chromium not pinned${warnings.length ? `; Lighthouse warned: ${warnings.join(' / ')}` : ''}`,
      });
    }
  } finally {
    await server.stop();
  }
}
