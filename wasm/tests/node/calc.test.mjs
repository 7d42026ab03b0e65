// The calculator's module, circ_calc (docs/web.md, "Two modules"): the web build the embedded
// calculator loads, here in Node.js from its bytes. It has the calculator's functions and no
// others, and gives for every example form the same bytes as the whole API, circ_wasm, whose
// reports the other tests hold against the CLI; calculatorResults() holds the reports of the
// files calculatorFiles() gives.
// Run by `./x test` after `wasm/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const pkg = join(root, 'wasm', 'pkg');
const full = createRequire(import.meta.url)(join(root, 'wasm', 'pkg-node', 'circ_wasm.js'));
const calc = await import(pathToFileURL(join(pkg, 'circ_calc.js')));
calc.initSync({ module: readFileSync(join(pkg, 'circ_calc_bg.wasm')) });

const CALCULATOR = ['calculate', 'calculatorFiles', 'calculatorResults', 'calculatorSankey', 'datasets', 'exampleForm', 'limits', 'version'];

test('circ_calc has the calculator functions and none of the analyst API', () => {
  const exported = Object.keys(calc).filter((k) => typeof calc[k] === 'function' && !['default', 'initSync'].includes(k));
  assert.deepEqual(exported.sort(), [...CALCULATOR].sort());
  for (const name of ['indicators', 'validate', 'scenarios', 'project', 'product', 'company', 'sankey']) {
    assert.equal(typeof full[name], 'function', `the whole API has ${name}`);
  }
});

test('circ_calc gives the bytes of the whole API for every example form', () => {
  const examples = full.datasets().examples;
  assert.deepEqual(calc.datasets(), full.datasets());
  assert.equal(calc.version(), full.version());
  assert.ok(examples.length >= 2);
  for (const { name } of examples) {
    const form = calc.exampleForm(name);
    assert.deepEqual(form, full.exampleForm(name), name);
    assert.deepEqual(calc.calculate(form), full.calculate(form), name);
    assert.deepEqual(calc.calculatorFiles(form), full.calculatorFiles(form), name);
    assert.equal(calc.calculatorSankey(form), full.calculatorSankey(form), name);
    for (const format of ['json', 'csv']) {
      assert.equal(calc.calculatorResults(form, format), full.calculatorResults(form, format), `${name} ${format}`);
    }
  }
});

test('calculatorResults() holds the reports of the files the calculator exports', () => {
  for (const { name } of full.datasets().examples) {
    const form = full.exampleForm(name);
    const files = full.calculatorFiles(form);
    const json = JSON.parse(calc.calculatorResults(form));
    assert.deepEqual(json.report, JSON.parse(full.indicators(files.model)), name);
    let csv = full.indicators(files.model, 'csv');
    if (files.product) {
      assert.deepEqual(json.product, JSON.parse(full.product(files.product)), name);
      csv += '\n' + full.product(files.product, 'csv');
    } else {
      assert.equal(json.product, undefined, name);
    }
    assert.equal(calc.calculatorResults(form, 'csv'), csv, name);
  }
  assert.throws(() => calc.calculatorResults(calc.exampleForm(), 'xml'), /unknown format "xml"/);
});
