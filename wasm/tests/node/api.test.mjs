// The JavaScript API of the web module (docs/web.md), against the CLI: validate() gives the
// problems `circ validate` prints, as objects; datasets() and datasetModel() the embedded data
// sets; calculate() a model and a product file whose reports are the bytes `circ run` and
// `circ product` give for them; every function throws an Error (never a trap) on bad input, and
// refuses a text over the size limit at once.
// Run by `./x test` after `wasm/build.sh`, with CIRC_BIN naming the circ binary.
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
const tmp = mkdtempSync(join(tmpdir(), 'circ-wasm-api-'));

function file(name, text) {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

test('validate(): every problem as an object, with the text circ validate prints', () => {
  const bad = JSON.stringify({
    meta: { name: 'bad' },
    processes: [{ id: 'a', role: 'extraction' }, { id: 'b', role: 'recyling' }],
    flows: [{ from: 'a', to: 'c', material: 'MF9', value: -1 }],
  }, null, 2);
  const cli = spawnSync(circ, ['validate', file('model.json', bad)], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  const v = wasm.validate(bad);
  assert.equal(v.valid, false);
  assert.ok(v.problems.length >= 4, JSON.stringify(v.problems));
  for (const p of v.problems) {
    assert.ok(['error', 'warning'].includes(p.severity));
    assert.equal(p.origin, 'model.json');
    // The CLI names the file by its path; the rest of each line is the same.
    const words = p.text.slice(p.text.indexOf(': ') + 2);
    assert.ok(cli.stderr.includes(words), `CLI output lacks: ${words}\n${cli.stderr}`);
    assert.ok(p.text.includes(p.message));
  }
  const role = v.problems.find((p) => p.message.includes('unknown role "recyling"'));
  assert.equal(role.path, 'processes[1].role');
  assert.equal(typeof role.line, 'number');
  assert.match(role.hint, /recycling/);

  const good = wasm.datasetModel('cgr2020');
  assert.deepEqual(wasm.validate(good), { valid: true, problems: [] });
});

test('validate() of TOML says the web module reads JSON, and how to convert', () => {
  const v = wasm.validate('[meta]\nname = "x"\n', 'toml');
  assert.equal(v.valid, false);
  assert.match(v.problems[0].message, /JSON only/);
  assert.match(v.problems[0].hint, /circ convert/);
  assert.throws(() => wasm.convert(wasm.datasetModel('cgr2018'), 'json', 'toml'), /JSON only/);
  assert.equal(wasm.indicators(wasm.convert(wasm.datasetModel('cgr2018'), 'json', 'json')), wasm.indicators(wasm.datasetModel('cgr2018')));
});

test('datasets() lists what circ datasets lists, and datasetModel() gives their models', () => {
  const cli = JSON.parse(execFileSync(circ, ['datasets', '--format', 'json'], { encoding: 'utf8' }));
  const { datasets, examples } = wasm.datasets();
  assert.deepEqual(
    datasets.map((d) => [d.name, d.title, d.reproduces, d.isDefault]),
    cli.map((d) => [d.name, d.title, d.reproduces, d.default]),
  );
  assert.deepEqual(examples.map((e) => e.name), ['workshop', 'rubble']);
  assert.equal(examples[0].isDefault, true);
  for (const d of datasets) {
    const report = execFileSync(circ, ['run', '--dataset', d.name, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(wasm.indicators(wasm.datasetModel(d.name)) + '\n', report, d.name);
    assert.throws(() => wasm.datasetModel(d.name, 'toml'), /built without TOML/);
  }
  assert.throws(() => wasm.datasetModel('nonesuch'), /unknown data set "nonesuch"; the data sets are: cgr2020, cgr2018/);
});

test('indicators() in the CLI formats: csv, markdown and text are the bytes of circ run', () => {
  const json = wasm.datasetModel('cgr2018');
  const path = file('cgr2018.json', json);
  for (const [format, cli] of [['csv', 'csv'], ['markdown', 'md'], ['text', 'table']]) {
    const out = execFileSync(circ, ['run', path, '--format', cli], { encoding: 'utf8' });
    const web = wasm.indicators(json, format);
    assert.equal(web.trimEnd(), out.trimEnd(), format);
  }
  assert.throws(() => wasm.indicators(json, 'xml'), /unknown format "xml"/);
});

for (const example of ['workshop', 'rubble']) {
  test(`calculate(${example}): the numbers are circ run's on the model calculatorFiles() exports, and circ product's on its product file`, () => {
    const form = wasm.exampleForm(example);
    assert.equal(typeof form.name, 'string');
    const c = wasm.calculate(form);
    assert.deepEqual(c.warnings, []);
    const files = wasm.calculatorFiles(form);
    const model = file(`${example}-model.json`, files.model);
    const run = execFileSync(circ, ['run', model, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(wasm.indicators(files.model) + '\n', run);
    const byId = new Map(JSON.parse(run).indicators.map((i) => [i.id, i.value]));
    assert.ok(c.indicators.length > 0);
    for (const i of c.indicators) assert.equal(i.value, byId.get(i.id), i.id);
    if (example === 'workshop') {
      const product = file(`${example}-product.json`, files.product);
      const cli = JSON.parse(execFileSync(circ, ['product', product, '--format', 'json'], { encoding: 'utf8' }));
      const cliValues = new Map();
      JSON.stringify(cli, (k, v) => { if (v && typeof v === 'object' && typeof v.id === 'string' && 'value' in v) cliValues.set(v.id, v.value); return v; });
      assert.ok(c.product.length > 0);
      for (const i of c.product) assert.equal(i.value, cliValues.get(i.id), i.id);
    } else {
      assert.equal(files.product, undefined);
      assert.equal(c.product, undefined);
    }
  });
}

test('calculate() of a bad form throws an Error with structured problems at the form keys', () => {
  const form = wasm.exampleForm();
  form.inputs[0].virgin = -3;
  form.waste[0].treatment = 'recyling';
  assert.throws(() => wasm.calculate(form), (err) => {
    assert.ok(err instanceof Error);
    assert.deepEqual(err.problems.map((p) => p.path), ['inputs[0].virgin', 'waste[0].treatment']);
    assert.match(err.message, /^form: error: inputs\[0\]\.virgin: -3 is not a mass/);
    assert.match(err.problems[1].hint, /did you mean "recycling"\?/);
    return true;
  });
  assert.throws(() => wasm.calculate({ name: 'x', inputs: 'no' }), /form: error/);
  assert.throws(() => wasm.calculate(null), Error);
});

test('limits: a text over 5 MiB and a form over 500 rows are refused at once', () => {
  const { maxTextBytes, maxFormRows } = wasm.limits();
  assert.equal(maxTextBytes, 5 * 1024 * 1024);
  assert.equal(maxFormRows, 500);
  const big = ' '.repeat(maxTextBytes + 1);
  for (const call of [() => wasm.indicators(big), () => wasm.validate(big), () => wasm.product(big), () => wasm.company(big)]) {
    const t0 = performance.now();
    assert.throws(call, /is 5\.0 MB, more than the 5\.0 MB the web module reads; use the circ command line/);
    // Copying 5 MB into the module's memory takes 50–150 ms here; parsing it would take far longer.
    assert.ok(performance.now() - t0 < 1000, 'refused before parsing');
  }
  const rows = Array.from({ length: maxFormRows + 1 }, () => ({ name: 'w', group: 'MF2', mass: 1, treatment: 'landfill' }));
  assert.throws(() => wasm.calculate({ name: 'big', waste: rows }), /waste: 501 rows, more than the calculator takes \(500\)/);
});

test('no input makes a function trap: garbage gives an Error every time', () => {
  const texts = ['', '{', 'null', '[]', '{"meta": 5}', '\u0000', '{"processes": []}', '{"product": {}}', '1e999', '"\\ud800"',
    JSON.stringify({ meta: { name: 'x' }, processes: [{ id: 'a', role: 'use' }], flows: [{ from: 'a', to: 'a', material: 'MF1', value: 1e308 }] })];
  for (const text of texts) {
    for (const call of [
      () => wasm.indicators(text), () => wasm.product(text), () => wasm.company(text),
      () => wasm.convert(text, 'json', 'json'), () => wasm.indicators(text, 'csv'),
    ]) {
      try {
        call();
      } catch (err) {
        assert.ok(err instanceof Error && !(err instanceof WebAssembly.RuntimeError), `${text}: ${err}`);
      }
    }
    const v = wasm.validate(text);
    assert.equal(typeof v.valid, 'boolean');
  }
  const forms = [{}, { name: 5 }, { name: 'x', inputs: [{}] }, { name: 'x', inputs: [{ group: 'MF1', virgin: 1e308 }, { group: 'MF1', virgin: 1e308 }] },
    { name: 'x', products: [{ name: '', group: 'MF2', mass: 1 }], design: { product: 'Product 1', recycling: 2 } }];
  for (const form of forms) {
    try {
      wasm.calculate(form);
    } catch (err) {
      assert.ok(err instanceof Error && !(err instanceof WebAssembly.RuntimeError), `${JSON.stringify(form)}: ${err}`);
    }
  }
  // And the module still works afterwards.
  assert.ok(wasm.calculate(wasm.exampleForm()).indicators.some((i) => i.id === 'cgr.circularity_metric'));
});
