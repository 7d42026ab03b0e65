// The web module's product and company functions give the bytes of `circ product|company
// FILE.json --format json` (less the final newline), and throw the CLI's messages on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const circ = process.env.CIRC_BIN ?? join(root, 'target', 'debug', 'circ');
const wasm = createRequire(import.meta.url)(join(root, 'wasm', 'pkg-node', 'circ_wasm.js'));
const tmp = mkdtempSync(join(tmpdir(), 'circ-wasm-products-'));

const chair = {
  product: { id: 'chair', name: 'Chair', mass_unit: 'kg', lifetime: 12, average_lifetime: 8 },
  energy: { unit: 'MWh', total: 420, renewable: 126 },
  materials: [
    { id: 'steel', mass: 6, recycled: 0.45, feedstock_efficiency: 0.85, recycling: 0.8, recycling_efficiency: 0.9, reuse: 0.1, recovery_potential: 1 },
    { id: 'wood', mass: 2, biological: true, sustained: 1, energy_recovery: 0.6, recovery_potential: 0.5 },
  ],
};

function cliJson(kind, value) {
  const path = join(tmp, `${kind}.json`);
  writeFileSync(path, JSON.stringify(value));
  return execFileSync(circ, [kind, path, '--format', 'json'], { encoding: 'utf8' });
}

test('product(): the same bytes as circ product --format json', () => {
  const web = wasm.product(JSON.stringify(chair));
  assert.equal(web + '\n', cliJson('product', chair));
  assert.ok(web.includes('"emf.mci"'), web.slice(0, 200));
});

test('company(): a process network gives the same bytes as circ company', () => {
  const network = execFileSync(circ, ['convert', join(root, 'tests/cases/valid/every_role.toml'), '--to', 'json'], { encoding: 'utf8' });
  const path = join(tmp, 'network.json');
  writeFileSync(path, network);
  const cli = execFileSync(circ, ['company', path, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(wasm.company(network) + '\n', cli);
});

test('a bad product file throws the CLI messages', () => {
  const bad = { product: { id: 'x', name: 'X', mass_unit: 'lb' }, materials: [{ id: 'a', mass: -1, recycled: 2 }] };
  const path = join(tmp, 'bad.json');
  writeFileSync(path, JSON.stringify(bad));
  const cli = spawnSync(circ, ['product', path], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.throws(() => wasm.product(JSON.stringify(bad)), (err) => {
    assert.ok(err instanceof Error);
    const lines = err.message.split('\n').filter((l) => l.includes('error:'));
    assert.ok(lines.length >= 2, err.message);
    for (const line of lines) {
      const words = line.slice(line.indexOf('error:'));
      assert.ok(cli.stderr.includes(words), `CLI output lacks: ${words}\n${cli.stderr}`);
    }
    return true;
  });
});
