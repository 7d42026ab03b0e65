// The web module's scenarios() gives the bytes of `circ scenario MODEL.json SCENARIOS.json
// --format json` (less the final newline), and throws the CLI's messages for a scenario that
// points at nothing.
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
const tmp = mkdtempSync(join(tmpdir(), 'circ-wasm-scenarios-'));

// The shipped example scenarios (data/examples/cgr-scenarios.toml), as JSON.
const scenarios = {
  scenarios: [
    {
      name: 'cycle-a-fifth',
      interventions: [{ kind: 'share', from: 'use', to: 'recycling', set: 0.2, years: [2020, 2030] }],
    },
    {
      name: 'half-the-landfill-cycled',
      interventions: [{ kind: 'share', from: 'use', to: 'landfill', scale: 0.5, rest: ['recycling'] }],
    },
    { name: 'sufficiency', interventions: [{ kind: 'flow', from: 'production', to: 'use', scale: 0.9 }] },
    { name: 'nothing', interventions: [] },
  ],
};

test('scenarios(): the same bytes as circ scenario --format json', () => {
  const model = wasm.datasetModel('cgr2020');
  const modelPath = join(tmp, 'cgr2020.json');
  const scenariosPath = join(tmp, 'scenarios.json');
  writeFileSync(modelPath, model);
  writeFileSync(scenariosPath, JSON.stringify(scenarios));
  const cli = execFileSync(circ, ['scenario', modelPath, scenariosPath, '--format', 'json'], { encoding: 'utf8' });
  const web = wasm.scenarios(model, JSON.stringify(scenarios));
  assert.equal(web + '\n', cli);
  assert.ok(web.includes('"half-the-landfill-cycled"'), web.slice(0, 200));
});

test('a scenario that points at nothing throws the CLI message', () => {
  const bad = { scenarios: [{ name: 'typo', interventions: [{ kind: 'share', from: 'use', to: 'recyling', set: 0.3 }] }] };
  const model = wasm.datasetModel('cgr2020');
  const path = join(tmp, 'bad.json');
  writeFileSync(path, JSON.stringify(bad));
  const cli = spawnSync(circ, ['scenario', 'dataset:cgr2020', path], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.throws(
    () => wasm.scenarios(model, JSON.stringify(bad)),
    (e) => e instanceof Error && e.message.includes('the model has no process "recyling"') && cli.stderr.includes('the model has no process "recyling"'),
  );
});
