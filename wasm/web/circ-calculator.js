// <circ-calculator>: the embeddable circularity calculator (docs/web.md). One ES module: a
// partner page adds
//   <script type="module" src="https://…/circ/circ-calculator.js"></script>
//   <circ-calculator lang="uk" example="workshop"></circ-calculator>
// and the element loads circ's WebAssembly module and its translations from beside this file.
//
// It computes nothing itself: the form becomes a model and a product file in circ-core
// (calculate), and every number shown is core's, formatted for reading; `data-value` keeps the
// exact value. Vanilla custom element, shadow DOM, themed by CSS custom properties.
import init, { calculate, calculatorFiles, calculatorResults, calculatorSankey, datasets, exampleForm } from './circ_calc.js';

const base = new URL('.', import.meta.url);
let ready = null;
/** Loads the module once for every element on the page. */
function load() {
  ready ??= init({ module_or_path: new URL('circ_calc_bg.wasm', base) });
  return ready;
}
const strings = new Map();
function translations(lang) {
  if (!strings.has(lang)) {
    strings.set(lang, fetch(new URL(`i18n/${lang}.json`, base)).then((r) => {
      if (!r.ok) throw new Error(`circ-calculator: no translations for "${lang}"`);
      return r.json();
    }));
  }
  return strings.get(lang);
}

const LANGS = ['en', 'uk'];
const GROUPS = ['MF1', 'MF2', 'MF3', 'MF4'];
const TREATMENTS = ['recycling', 'export_recycling', 'composting', 'backfilling', 'energy_recovery', 'incineration', 'landfill'];
const DESIGN = ['lifetime', 'average_lifetime', 'feedstock_efficiency', 'recycling', 'recycling_efficiency', 'reuse',
  'composting', 'energy_recovery', 'recovery_potential', 'energy_total', 'energy_renewable'];
const HEADLINE = ['cgr.circularity_metric', 'eurostat.cmu_rate', 'waste.recycling_rate', 'emf.mci', 'wbcsd.cti.circular_inflow', 'wbcsd.cti.circular_outflow'];
const TABLES = {
  inputs: { fields: ['group', 'name', 'virgin', 'recycled', 'reused', 'renewable'], blank: { group: 'MF2', name: '', virgin: 0 } },
  products: { fields: ['name', 'group', 'mass'], blank: { name: '', group: 'MF2', mass: 0 } },
  waste: { fields: ['name', 'group', 'mass', 'treatment'], blank: { name: '', group: 'MF2', mass: 0, treatment: 'landfill' } },
};
const NUMERIC = new Set(['virgin', 'recycled', 'reused', 'renewable', 'mass']);

const STYLE = `
:host { display: block; font-family: var(--circ-font, system-ui, sans-serif); color: var(--circ-fg, #1b1b1b);
  background: var(--circ-bg, #fff); line-height: 1.4; --a: var(--circ-accent, #0b5394); --line: var(--circ-line, #767676); }
* { box-sizing: border-box; }
h2 { font-size: 1.4em; margin: 0 0 .3em; } h3 { font-size: 1.1em; margin: 1em 0 .4em; }
p.intro { margin: 0 0 1em; max-width: 60em; }
.bar { display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: center; margin-bottom: 1em; }
.langs button[aria-pressed="true"] { background: var(--a); color: #fff; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1em; padding: .6em .8em; min-width: 0; }
legend { font-weight: 600; padding: 0 .3em; }
.help { font-size: .9em; margin: 0 0 .5em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25em .3em; vertical-align: top; }
thead th { font-size: .85em; border-bottom: 1px solid var(--line); }
input, select, button { font: inherit; color: inherit; min-height: 2.2em; }
input, select { border: 1px solid var(--line); border-radius: 4px; padding: .2em .35em; background: #fff; width: 100%; min-width: 5em; }
input[type="number"] { min-width: 5.5em; text-align: right; }
input[type="checkbox"] { width: auto; min-width: 0; min-height: 0; }
button { border: 1px solid var(--a); background: #fff; color: var(--a); border-radius: 4px; padding: .2em .7em; cursor: pointer; }
button:hover { background: #eef3fa; }
:focus-visible { outline: 3px solid #c75000; outline-offset: 2px; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); gap: .5em 1em; }
.grid label { display: block; font-size: .9em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(11em, 1fr)); gap: .6em; margin: .5em 0 1em; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5em .7em; }
.card .v { font-size: 1.6em; font-weight: 700; color: var(--a); }
.card .n { font-size: .9em; }
.formula { font-family: ui-monospace, monospace; font-size: .85em; }
.problems { border-left: 4px solid #b00020; padding: .3em .8em; margin: .5em 0; }
.warnings { border-left: 4px solid #8a5a00; padding: .3em .8em; margin: .5em 0; }
.sankey svg { max-width: 100%; height: auto; }
.exports { display: flex; flex-wrap: wrap; gap: .5em; }
@media (max-width: 600px) {
  .rows thead { display: none; }
  .rows tr { display: grid; grid-template-columns: 1fr 1fr; gap: .3em; border-bottom: 1px solid var(--line); padding: .4em 0; }
  .rows td { padding: 0; } .rows .vh { position: static; width: auto; height: auto; clip: auto; font-size: .8em; }
  .cards { grid-template-columns: 1fr 1fr; }
}`;

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

class CircCalculator extends HTMLElement {
  static get observedAttributes() { return ['lang', 'example']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    /** Milliseconds of each recompute (compute and render), for the page and its tests. */
    this.timings = [];
    this.form = null;
    this.t = null;
    this.result = null;
  }

  async connectedCallback() {
    if (this.started) return;
    this.started = true;
    try {
      const lang = this.language();
      const [, t] = await Promise.all([load(), translations(lang)]);
      this.t = t;
      this.form = exampleForm(this.getAttribute('example') || undefined);
      this.examples = datasets().examples;
      this.renderAll();
      /** Milliseconds from navigation start until the calculator could be used. */
      this.readyAt = performance.now();
      this.setAttribute('ready', '');
      this.dispatchEvent(new CustomEvent('circ-ready', { bubbles: true, composed: true }));
    } catch (err) {
      this.shadowRoot.innerHTML = `<p role="alert">circ-calculator: ${esc(err.message)}</p>`;
    }
  }

  async attributeChangedCallback(name, old, value) {
    if (!this.form || old === value) return;
    if (name === 'lang') {
      this.t = await translations(this.language());
      this.renderAll();
    } else if (name === 'example') {
      this.form = exampleForm(value || undefined);
      this.renderAll();
    }
  }

  language() {
    const lang = (this.getAttribute('lang') || 'en').slice(0, 2).toLowerCase();
    return LANGS.includes(lang) ? lang : 'en';
  }

  /** Switches the language, keeping what the visitor entered. */
  setLanguage(lang) { this.setAttribute('lang', lang); }

  renderAll() {
    const t = this.t;
    const f = this.form;
    const options = (list, names, selected) => list.map((v) => `<option value="${v}"${v === selected ? ' selected' : ''}>${esc(names[v] ?? v)}</option>`).join('');
    const langs = LANGS.map((l) => `<button type="button" data-lang="${l}" lang="${l}" aria-pressed="${l === t.lang}">${l === 'en' ? 'English' : 'Українська'}</button>`).join(' ');
    const examples = this.examples.map((e) => `<option value="${e.name}"${e.name === (this.getAttribute('example') || this.examples[0].name) ? ' selected' : ''}>${esc(e.title)}</option>`).join('');
    const design = f.design;
    const productNames = [...new Set(f.products.map((p, i) => p.name.trim() || `Product ${i + 1}`))];
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
<section lang="${t.lang}" aria-labelledby="circ-title">
  <h2 id="circ-title">${esc(t.title)}</h2>
  <p class="intro">${esc(t.intro)}</p>
  <div class="bar">
    <div class="langs" role="group" aria-label="${esc(t.language)}">${langs}</div>
    <label>${esc(t.example)} <select id="example">${examples}</select></label>
  </div>
  <form id="form" novalidate>
    <fieldset><legend>${esc(t.project)}</legend><div class="grid">
      <label>${esc(t.name)} <input id="name" name="name" value="${esc(f.name)}"></label>
      <label>${esc(t.year)} <input id="year" name="year" type="number" inputmode="numeric" value="${esc(f.year ?? '')}"></label>
      <label>${esc(t.unit)} <select id="unit" name="unit">${options(['t', 'kt', 'Mt'], {}, f.unit ?? 't')}</select></label>
    </div></fieldset>
    ${this.tableHtml('inputs', t.inputs, t.inputs_help, t.add_input)}
    ${this.tableHtml('products', t.products, t.products_help, t.add_product)}
    ${this.tableHtml('waste', t.waste, '', t.add_waste)}
    <fieldset><legend>${esc(t.design)}</legend>
      <label><input type="checkbox" id="design-on"${design ? ' checked' : ''}> ${esc(t.design_on)}</label>
      <div class="grid" id="design"${design ? '' : ' hidden'}>
        <label>${esc(t.design_product)} <select id="design-product">${options(productNames, {}, design?.product)}</select></label>
        ${DESIGN.map((k) => `<label>${esc(t[k])} <input type="number" step="any" min="0" id="design-${k}" data-design="${k}" value="${esc(design?.[k] ?? '')}"></label>`).join('')}
      </div>
    </fieldset>
  </form>
  <section id="results" aria-labelledby="circ-results"><h3 id="circ-results">${esc(t.results)}</h3>
    <div id="out" aria-live="polite" aria-atomic="false"></div>
    <h3>${esc(t.sankey)}</h3><div class="sankey" id="sankey"></div>
    <h3>${esc(t.export)}</h3>
    <div class="exports">
      <button type="button" data-export="model">${esc(t.export_model)}</button>
      <button type="button" data-export="json">${esc(t.export_results_json)}</button>
      <button type="button" data-export="csv">${esc(t.export_results_csv)}</button>
    </div>
    <p class="help">${esc(t.computed_in)}</p>
  </section>
</section>`;
    const root = this.shadowRoot;
    root.querySelectorAll('[data-lang]').forEach((b) => b.addEventListener('click', () => this.setLanguage(b.dataset.lang)));
    root.getElementById('example').addEventListener('change', (e) => this.setAttribute('example', e.target.value));
    const form = root.getElementById('form');
    form.addEventListener('input', (e) => this.edited(e));
    form.addEventListener('change', (e) => this.edited(e));
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (!b) return;
      if (b.dataset.add) {
        this.form[b.dataset.add].push({ ...TABLES[b.dataset.add].blank });
        this.renderAll();
        const rows = this.shadowRoot.querySelectorAll(`[data-table="${b.dataset.add}"]`);
        rows[rows.length - 1]?.querySelector('input, select')?.focus();
      } else if (b.dataset.remove) {
        this.form[b.dataset.remove].splice(Number(b.dataset.row), 1);
        this.renderAll();
        this.shadowRoot.querySelector(`[data-add="${b.dataset.remove}"]`)?.focus();
      }
    });
    root.querySelectorAll('[data-export]').forEach((b) => b.addEventListener('click', () => this.export(b.dataset.export)));
    // A new page: the results are drawn whole, not updated in place.
    this.shape = null;
    this.recompute();
  }

  tableHtml(table, title, help, add) {
    const t = this.t;
    const { fields } = TABLES[table];
    const unit = this.form.unit ?? 't';
    const head = fields.map((k) => `<th scope="col">${esc(t[k])}${NUMERIC.has(k) ? ` (${unit})` : ''}</th>`).join('');
    const rows = this.form[table].map((row, i) => {
      const cells = fields.map((k) => {
        const id = `${table}-${i}-${k}`;
        const label = `<label class="vh" for="${id}">${esc(t[k])}${NUMERIC.has(k) ? ` (${unit})` : ''}, ${esc(t.row)} ${i + 1}</label>`;
        let control;
        if (k === 'group') control = `<select id="${id}" data-field="${k}">${GROUPS.map((g) => `<option value="${g}"${g === row.group ? ' selected' : ''}>${g} ${esc(t.groups[g])}</option>`).join('')}</select>`;
        else if (k === 'treatment') control = `<select id="${id}" data-field="${k}">${TREATMENTS.map((g) => `<option value="${g}"${g === row.treatment ? ' selected' : ''}>${esc(t.treatments[g])}</option>`).join('')}</select>`;
        else if (NUMERIC.has(k)) control = `<input id="${id}" data-field="${k}" type="number" inputmode="decimal" step="any" min="0" value="${esc(row[k] ?? '')}">`;
        else control = `<input id="${id}" data-field="${k}" value="${esc(row[k] ?? '')}">`;
        return `<td>${label}${control}</td>`;
      }).join('');
      return `<tr data-table="${table}" data-row="${i}">${cells}<td><button type="button" data-remove="${table}" data-row="${i}" aria-label="${esc(t.remove)}: ${esc(title)}, ${esc(t.row)} ${i + 1}">×</button></td></tr>`;
    }).join('');
    return `<fieldset><legend>${esc(title)}</legend>${help ? `<p class="help">${esc(help)}</p>` : ''}
      <div class="scroll"><table class="rows"><thead><tr>${head}<th><span class="vh">${esc(t.remove)}</span></th></tr></thead><tbody>${rows}</tbody></table></div>
      <button type="button" data-add="${table}">${esc(add)}</button></fieldset>`;
  }

  /** Reads the control that changed into the form, then recomputes. */
  edited(e) {
    const el = e.target;
    const tr = el.closest('tr[data-table]');
    const number = (v) => (v === '' ? 0 : Number(v));
    if (tr && el.dataset.field) {
      const row = this.form[tr.dataset.table][Number(tr.dataset.row)];
      row[el.dataset.field] = NUMERIC.has(el.dataset.field) ? number(el.value) : el.value;
      if (tr.dataset.table === 'products' && el.dataset.field === 'name' && e.type === 'change') return this.renderAll();
    } else if (el.id === 'name') this.form.name = el.value;
    else if (el.id === 'year') this.form.year = el.value === '' ? undefined : Math.trunc(Number(el.value));
    else if (el.id === 'unit') { this.form.unit = el.value; if (e.type === 'change') return this.renderAll(); }
    else if (el.id === 'design-on') {
      this.form.design = el.checked ? { product: this.form.products[0]?.name ?? '' } : undefined;
      return this.renderAll();
    } else if (el.id === 'design-product') this.form.design.product = el.value;
    else if (el.dataset.design) {
      if (el.value === '') delete this.form.design[el.dataset.design];
      else this.form.design[el.dataset.design] = Number(el.value);
    }
    if (e.type === 'input' || el.tagName === 'SELECT' || el.type === 'checkbox') this.recompute();
  }

  /** The form as core takes it, with the fixed processes named in the page's language. */
  formForCore() {
    return { ...this.form, names: { ...this.t.processes } };
  }

  /** The model and product file behind the numbers shown (JSON text), as core builds them. */
  files() { return calculatorFiles(this.formForCore()); }

  /**
   * Computes (in core) and shows the results; records how long that took. When only numbers
   * changed, it rewrites those cells and nothing else.
   */
  recompute() {
    const t0 = performance.now();
    const out = this.shadowRoot.getElementById('out');
    let problems = [];
    try {
      this.result = calculate(this.formForCore());
    } catch (err) {
      this.result = null;
      if (err instanceof WebAssembly.RuntimeError) {
        out.innerHTML = `<p role="alert" class="problems">${esc(this.t.internal_error)}</p>`;
        this.shape = null;
        return;
      }
      problems = err.problems ?? [{ message: err.message, path: '' }];
    }
    const shown = this.result ? this.shownIndicators() : [];
    const shape = this.result
      ? [this.t.lang, shown.map((i) => `${i.id}${i.value == null ? '?' : ''}`).join()].join('|')
      : null;
    if (shape !== null && shape === this.shape) {
      for (const i of shown) {
        if (i.value == null) continue;
        const text = this.show(i);
        for (const el of this.cells.get(i.id) ?? []) {
          el.dataset.value = String(i.value);
          el.querySelector('.value, .v').textContent = text;
        }
      }
      const notes = this.result.warnings.map((w) => w.text).join();
      if (notes !== this.notes) {
        this.shadowRoot.getElementById('notes').innerHTML = this.notesHtml(this.result.warnings, 'warnings', this.t.warnings);
        this.notes = notes;
      }
    } else {
      this.notes = this.result?.warnings.map((w) => w.text).join();
      out.innerHTML = this.resultsHtml(problems, shown);
      this.shape = shape;
      this.cells = new Map();
      for (const el of out.querySelectorAll('[data-id][data-value]')) {
        if (!this.cells.has(el.dataset.id)) this.cells.set(el.dataset.id, []);
        this.cells.get(el.dataset.id).push(el);
      }
    }
    this.timings.push(performance.now() - t0);
    this.drawSankey();
    this.dispatchEvent(new CustomEvent('circ-result', { detail: this.result }));
  }

  /**
   * Draws the Sankey diagram (core's SVG) in the next animation frame, once per burst of edits:
   * the numbers come first, the picture follows.
   */
  drawSankey() {
    if (this.sankeyPending || !this.result) return;
    this.sankeyPending = true;
    requestAnimationFrame(() => {
      this.sankeyPending = false;
      const box = this.shadowRoot.getElementById('sankey');
      if (!box || !this.result) return;
      try {
        box.innerHTML = calculatorSankey(this.formForCore());
      } catch {
        box.textContent = '';
      }
    });
  }

  /** The indicators the page lists: the model's (without the per-group variants), then the product's. */
  shownIndicators() {
    return [...this.result.indicators.filter((i) => !/\.mf\d$/.test(i.id)), ...(this.result.product ?? [])];
  }

  /**
   * A value as people read it, in the page's language: core computed it, this only rounds it
   * for display (data-value keeps it exact). Not Intl.NumberFormat: its first use loads locale
   * data, tens of milliseconds before the page is ready.
   */
  show(i) {
    if (i.value == null) return '—';
    const text = i.unit === 'fraction' ? `${(i.value * 100).toFixed(1)} %` : String(Number(i.value.toFixed(3)));
    return (this.t.lang === 'uk' ? text.replace('.', ',') : text).replace('-', '−');
  }

  /** Problems or warnings, each at its key in the form. */
  notesHtml(list, cls, title) {
    if (!list.length) return '';
    const items = list.map((p) => `<li data-path="${esc(p.path)}">${p.path ? `<code>${esc(p.path)}</code>: ` : ''}${esc(p.message)}${p.hint ? ` (${esc(p.hint)})` : ''}</li>`).join('');
    return `<div class="${cls}" role="${cls === 'problems' ? 'alert' : 'status'}"><strong>${esc(title)}</strong><ul>${items}</ul></div>`;
  }

  resultsHtml(problems, all) {
    const t = this.t;
    const mark = (list, cls, title) => `<div id="notes">${this.notesHtml(list, cls, title)}</div>`;
    if (!this.result) return mark(problems, 'problems', t.problems);
    const name = (i) => t.indicator_names[i.id]?.[0] ?? i.name;
    const formula = (i) => t.indicator_names[i.id]?.[1] ?? i.formula;
    const attrs = (i) => `data-id="${esc(i.id)}" data-value="${i.value == null ? '' : String(i.value)}"`;
    const cards = HEADLINE.map((id) => all.find((i) => i.id === id)).filter((i) => i && i.value != null)
      .map((i) => `<div class="card" ${attrs(i)}><div class="v">${this.show(i)}</div><div class="n">${esc(name(i))}</div></div>`).join('');
    const row = (i) => `<tr ${attrs(i)}><th scope="row">${esc(name(i))}</th><td class="value">${this.show(i)}</td><td class="formula">${esc(formula(i))}</td></tr>`;
    const computed = all.filter((i) => i.value != null);
    const missing = all.filter((i) => i.value == null);
    return `${mark(this.result.warnings, 'warnings', t.warnings)}
<div class="cards">${cards}</div>
<h3>${esc(t.indicators)}</h3>
<div class="scroll"><table class="indicators"><thead><tr><th scope="col">${esc(t.indicator)}</th><th scope="col">${esc(t.value)}</th><th scope="col">${esc(t.formula)}</th></tr></thead>
<tbody>${computed.map(row).join('')}</tbody></table></div>
${missing.length ? `<details><summary>${esc(t.not_computable)} (${missing.length})</summary><ul>${missing.map((i) => `<li data-id="${esc(i.id)}"><strong>${esc(name(i))}</strong>: <span lang="en">${esc(i.reason)}</span></li>`).join('')}</ul></details>` : ''}`;
  }

  /** Downloads the model, or the results as JSON or CSV (each computed by core). */
  export(kind) {
    if (!this.result) return;
    const stem = (this.form.name || 'circ').trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'circ';
    let name;
    let text;
    let type = 'application/json';
    if (kind === 'model') {
      [name, text] = [`${stem}-model.json`, this.files().model + '\n'];
    } else if (kind === 'json') {
      [name, text] = [`${stem}-results.json`, calculatorResults(this.formForCore(), 'json') + '\n'];
    } else {
      text = calculatorResults(this.formForCore(), 'csv');
      [name, type] = [`${stem}-results.csv`, 'text/csv'];
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
    a.download = name;
    this.shadowRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}

// Start fetching and compiling the module now, while the page parses.
load();
if (!customElements.get('circ-calculator')) customElements.define('circ-calculator', CircCalculator);
export { CircCalculator };
