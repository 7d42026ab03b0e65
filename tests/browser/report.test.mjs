// The HTML report in a real browser: Debian's Chromium, driven by playwright-core, opens the
// report of the default data set (with its time series) and of a model with recycling loops,
// with no console error, no failed or outside request, and keeps a screenshot of each under
// artifacts/ for people to look at.
//
// Run by `./x test` (after `npm ci`); CIRC_BIN names the circ binary (default target/debug/circ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const circ = process.env.CIRC_BIN ?? join(root, 'target', 'debug', 'circ');
const artifacts = join(root, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Opens `file` in a fresh browser profile; returns what the page said and requested. */
async function open(file, screenshot) {
  const profile = mkdtempSync(join(tmpdir(), 'circ-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    const outside = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) outside.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const facts = await page.evaluate(() => ({
      title: document.title,
      h1: document.querySelector('h1')?.textContent,
      svgs: [...document.querySelectorAll('svg')].map((s) => ({
        role: s.getAttribute('role'),
        title: s.querySelector('title')?.textContent,
        width: s.getBoundingClientRect().width,
      })),
      scripts: document.scripts.length,
      headline: document.querySelector('.card .v')?.textContent,
    }));
    await page.screenshot({ path: screenshot, fullPage: true });
    return { errors, outside, facts };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

test('the report of the default data set opens without errors', async () => {
  const file = join(artifacts, 'report-cgr2020.html');
  execFileSync(circ, ['report', '--series', 'dataset:cgr2018', '-o', file]);
  const { errors, outside, facts } = await open(file, join(artifacts, 'report-cgr2020.png'));
  assert.deepEqual(errors, []);
  assert.deepEqual(outside, [], 'the page loads nothing from outside');
  assert.equal(facts.h1, 'Global economy 2017 (Circularity Gap Report 2020)');
  assert.equal(facts.headline, '8.6 %');
  assert.equal(facts.scripts, 0);
  // Sankey, bars by group, time series: each an accessible picture, drawn at a visible size.
  assert.equal(facts.svgs.length, 3);
  for (const s of facts.svgs) {
    assert.equal(s.role, 'img');
    assert.ok(s.title && s.title.length > 0);
    assert.ok(s.width > 300, `${s.title}: ${s.width}px wide`);
  }
});

test('the report of a model with recycling loops opens without errors', async () => {
  const file = join(artifacts, 'report-every-role.html');
  execFileSync(circ, ['report', join(root, 'tests/cases/valid/every_role.toml'), '-o', file]);
  const { errors, outside, facts } = await open(file, join(artifacts, 'report-every-role.png'));
  assert.deepEqual(errors, []);
  assert.deepEqual(outside, []);
  assert.match(facts.svgs[0].title, /^Sankey diagram: /);
});
