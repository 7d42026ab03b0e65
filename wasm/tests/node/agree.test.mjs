// The web module and the CLI agree bit for bit: for every model here, `indicators(json)` returns
// exactly the bytes that `circ run MODEL.json --format json` prints (less its final newline), and
// `sankey(json)` those of `circ sankey MODEL.json`.
// Run by `./x test` after `wasm/build.sh`, with CIRC_BIN naming the circ binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const circ = process.env.CIRC_BIN ?? join(root, 'target', 'debug', 'circ');
const wasm = createRequire(import.meta.url)(join(root, 'wasm', 'pkg-node', 'circ_wasm.js'));
const tmp = mkdtempSync(join(tmpdir(), 'circ-wasm-'));

// The shipped data sets and the valid end-to-end cases, each converted to JSON by the CLI.
const models = [
  ...readdirSync(join(root, 'data')).filter((f) => f.endsWith('.toml')).map((f) => join(root, 'data', f)),
  ...readdirSync(join(root, 'tests', 'cases', 'valid')).filter((f) => f.endsWith('.toml')).map((f) => join(root, 'tests', 'cases', 'valid', f)),
];

for (const model of models) {
  test(`wasm and CLI agree on ${model.slice(root.length + 1)}`, () => {
    const json = join(tmp, model.replace(/[\/\\]/g, '_') + '.json');
    execFileSync(circ, ['convert', model, '-o', json]);
    const cli = execFileSync(circ, ['run', json, '--format', 'json'], { encoding: 'utf8' });
    const web = wasm.indicators(readFileSync(json, 'utf8'));
    assert.equal(web + '\n', cli);
    // And the headline number is a number, not a string or null, in both.
    const metric = JSON.parse(web).indicators.find((i) => i.id === 'cgr.circularity_metric');
    assert.equal(typeof metric.value === 'number' || metric.value === null, true);
    // The Sankey diagram too: the web calculator draws the CLI's picture, byte for byte.
    const svg = execFileSync(circ, ['sankey', json], { encoding: 'utf8' });
    assert.equal(wasm.sankey(readFileSync(json, 'utf8')), svg);
  });
}

// Uncertainty: the same seed gives the same bytes in WebAssembly as natively (on several threads).
for (const name of ['dr_1', 'dr_2']) {
  test(`wasm and CLI agree on the uncertainty of ${name}`, () => {
    const model = join(root, 'tests', 'cases', 'reconcile', `${name}.toml`);
    const json = join(tmp, `${name}.json`);
    execFileSync(circ, ['convert', model, '-o', json]);
    const text = readFileSync(json, 'utf8');
    for (const method of ['gauss', 'mc']) {
      const cli = execFileSync(circ, ['run', json, '--uncertainty', method, '--samples', '2000', '--seed', '7', '--format', 'json'], { encoding: 'utf8' });
      const web = wasm.indicators_with_uncertainty(text, method, 2000, 7n);
      assert.equal(web + '\n', cli);
    }
  });
}

test('a bad model throws an Error with the messages of circ validate', () => {
  const bad = JSON.stringify({
    meta: { name: 'bad' },
    processes: [{ id: 'a', role: 'extraction' }, { id: 'b', role: 'recyling' }],
    flows: [{ from: 'a', to: 'c', material: 'MF9', value: -1 }],
  });
  const path = join(tmp, 'bad.json');
  execFileSync('sh', ['-c', `cat > '${path}'`], { input: bad });
  const cli = spawnSync(circ, ['validate', path], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.throws(() => wasm.indicators(bad), (err) => {
    assert.ok(err instanceof Error);
    // Every problem the CLI names, the web module names with the same words.
    for (const line of err.message.split('\n').filter((l) => l.includes('error:'))) {
      const words = line.slice(line.indexOf('error:'));
      assert.ok(cli.stderr.includes(words), `CLI output lacks: ${words}\n${cli.stderr}`);
    }
    assert.match(err.message, /unknown role "recyling"/);
    assert.match(err.message, /unknown process "c"/);
    assert.match(err.message, /unknown material "MF9"/);
    assert.match(err.message, /negative value -1/);
    return true;
  });
});

test('input that is not JSON throws, never crashes', () => {
  for (const text of ['', '{', 'null', '[]', '{"meta": 5}', '\u0000']) {
    assert.throws(() => wasm.indicators(text), Error);
  }
});
