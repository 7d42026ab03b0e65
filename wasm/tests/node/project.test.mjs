// The web module's project() gives the bytes of `circ project MODEL.json --format json` (less the
// final newline), and says why a model without dynamic stocks cannot be projected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const circ = process.env.CIRC_BIN ?? join(root, 'target', 'debug', 'circ');
const wasm = createRequire(import.meta.url)(join(root, 'wasm', 'pkg-node', 'circ_wasm.js'));
const tmp = mkdtempSync(join(tmpdir(), 'circ-wasm-project-'));

test('project(): the same bytes as circ project --format json, whole axis and a window', () => {
  const model = execFileSync(circ, ['convert', join(root, 'data/examples/buildings.toml'), '--to', 'json'], { encoding: 'utf8' });
  const path = join(tmp, 'buildings.json');
  writeFileSync(path, model);
  const whole = execFileSync(circ, ['project', path, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(wasm.project(model) + '\n', whole);
  const window = execFileSync(circ, ['project', path, '--from', '2024', '--to', '2030', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(wasm.project(model, 2024, 2030) + '\n', window);
  assert.ok(window.length < whole.length);
});

test('a model without dynamic stocks cannot be projected, and the Error says why', () => {
  assert.throws(() => wasm.project(wasm.datasetModel('cgr2020')), /no \[dynamics\] section/);
});
