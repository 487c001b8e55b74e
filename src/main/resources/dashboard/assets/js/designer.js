// The schedule designer: a form built from the argument declarations the API validates with
// (GET /api/v1/scheduler-types), or the JSON spec; the service's preview drawn as you type, pinned
// candidates overlaid, the spec exported as curl, RemoteLRScheduler and local torch code, and the
// problem's errors[] shown at the fields they name.
import { get, post, token } from './api.js';
import { chart, color, stepped } from './charts.js';
import { curl, localTorch, remoteScheduler } from './codegen.js';
import { byId, codeTabs, debounce, el, formatNumber, hooks, markDrawn, mountHeader, pretty, problemBox, showError } from './ui.js';

mountHeader();

/**
 * Starting values of arguments that have no default (or whose default previews nothing useful in
 * a short preview), so that a newly picked type draws a curve at once; by type, then for all.
 */
const STARTING_VALUES = {
  byType: {
    MultiplicativeLR: { lr_lambda: '0.97' },
    SequentialLR: {
      milestones: [10],
      schedulers: [{ type: 'LinearLR', start_factor: 0.1, total_iters: 10 }, { type: 'CosineAnnealingLR', T_max: 90 }],
    },
    ChainedScheduler: {
      schedulers: [{ type: 'ConstantLR', factor: 0.5, total_iters: 10 }, { type: 'ExponentialLR', gamma: 0.98 }],
    },
    OneCycleLR: { total_steps: (steps) => steps },
    CyclicLR: { step_size_up: 20 },
    warmup_stable_decay: { num_training_steps: (steps) => steps },
  },
  all: {
    step_size: 30,
    gamma: 0.95,
    milestones: [30, 60, 80],
    T_max: (steps) => steps,
    T_0: 20,
    lr_lambda: '0.95 ** epoch',
    base_lr: 0.001,
    max_lr: 0.1,
    num_warmup_steps: 10,
    num_training_steps: (steps) => steps,
    num_decay_steps: 20,
  },
};

/** A synthetic loss for plateau schedules: improves, then stops improving halfway. */
function syntheticMetrics(steps) {
  return Array.from({ length: steps }, (_, i) => Math.max(0.5, 1 - i / steps));
}

const state = {
  catalogue: [],
  spec: null,
  mode: 'form',
  candidates: [],
  current: null, // {label, xs, lrs}
  previewRequest: 0,
  logY: false,
  plot: null,
};

function typeNamed(name) {
  return state.catalogue.find((type) => type.name === name);
}

function startingValue(type, argument, steps) {
  const value = STARTING_VALUES.byType[type.name]?.[argument.name] ?? (argument.required ? STARTING_VALUES.all[argument.name] : undefined);
  return typeof value === 'function' ? value(steps) : value;
}

function steps() {
  return Math.max(0, Number.parseInt(byId('designer-steps').value, 10) || 0);
}

/** A new spec of a type: its required arguments at their starting values. */
function specOf(type) {
  const spec = { type: type.name };
  for (const argument of type.arguments) {
    const value = startingValue(type, argument, steps());
    if (value !== undefined) {
      spec[argument.name] = value;
    }
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------
// the form

function text(value) {
  if (value === null || value === undefined) {
    return '';
  }
  if (Array.isArray(value) && value.every((entry) => typeof entry !== 'object')) {
    return value.join(', ');
  }
  return typeof value === 'object' ? pretty(value) : String(value);
}

/** A field's text as the JSON value of its kind; undefined when empty; throws a message when malformed. */
function parse(kind, raw) {
  const value = raw.trim();
  if (value === '') {
    return undefined;
  }
  const number = (entry) => {
    const parsed = Number(entry);
    if (entry.trim() === '' || Number.isNaN(parsed)) {
      throw new Error(`"${entry.trim()}" is not a number`);
    }
    return parsed;
  };
  switch (kind) {
    case 'number':
    case 'integer':
      return number(value);
    case 'number_or_list':
      return value.includes(',') || value.startsWith('[') ? value.replace(/^\[|\]$/g, '').split(',').map(number) : number(value);
    case 'integer_list':
      return value.replace(/^\[|\]$/g, '').split(',').filter((entry) => entry.trim()).map(number);
    case 'expression_or_list':
      return value.startsWith('[') ? JSON.parse(value) : value;
    case 'schedulers':
      return JSON.parse(value);
    default:
      return value;
  }
}

function input(argument, value) {
  const common = { id: `arg-${argument.name}`, 'data-arg': argument.name, 'data-kind': argument.kind };
  if (argument.kind === 'boolean') {
    return el('select', common, ['true', 'false'].map((option) => el('option', { selected: String(value) === option }, option)));
  }
  if (argument.kind === 'enum') {
    return el('select', common, argument.choices.map((option) => el('option', { selected: value === option }, option)));
  }
  if (argument.kind === 'schedulers') {
    const area = el('textarea', { ...common, class: 'code-input', rows: 8, spellcheck: 'false' });
    area.value = text(value);
    return area;
  }
  return el('input', {
    ...common, class: 'mono', value: text(value), spellcheck: 'false', autocomplete: 'off',
    placeholder: argument.default === null && !argument.required ? 'None' : '',
  });
}

function renderForm() {
  const type = typeNamed(state.spec.type);
  byId('designer-type').value = state.spec.type;
  byId('designer-type-doc').textContent = type ? type.description : 'Not a type of this service.';
  if (!type) {
    byId('designer-args').replaceChildren();
    return;
  }
  byId('designer-args').replaceChildren(...(type.arguments.length ? type.arguments.map((argument) => {
    const value = argument.name in state.spec ? state.spec[argument.name] : argument.default;
    const badge = argument.required ? 'required' : `default ${argument.default === null ? 'None' : JSON.stringify(argument.default)}`;
    return el('label', { class: 'field', 'data-field': argument.name },
      el('span', { class: 'label' }, el('code', {}, argument.name), el('span', { class: 'badge' }, badge)),
      input(argument, value),
      el('span', { class: 'help' }, argument.meaning),
      el('span', { class: 'field-error' }));
  }) : [el('p', { class: 'muted' }, 'No arguments.')]));
}

/** The spec from the form: the required arguments and those that differ from their default. */
function readForm() {
  const type = typeNamed(state.spec.type);
  const spec = { type: type.name };
  // keys the form does not show (e.g. typed in the JSON) stay, so the API can name them
  for (const [key, value] of Object.entries(state.spec)) {
    if (!type.arguments.some((argument) => argument.name === key)) {
      spec[key] = value;
    }
  }
  const problems = [];
  for (const argument of type.arguments) {
    const field = byId(`arg-${argument.name}`);
    let value;
    try {
      value = argument.kind === 'boolean' ? field.value === 'true' : parse(argument.kind, field.value);
    } catch (failure) {
      problems.push({ field: `scheduler.${argument.name}`, message: failure.message });
      continue;
    }
    if (value !== undefined && (argument.required || JSON.stringify(value) !== JSON.stringify(argument.default))) {
      spec[argument.name] = value;
    }
  }
  return { spec, problems };
}

// ---------------------------------------------------------------------------------------------
// the preview

function paramGroups() {
  const lrs = byId('designer-lrs').value.split(',').map((entry) => entry.trim()).filter(Boolean).map(Number);
  const momenta = byId('designer-momentum').value.split(',').map((entry) => entry.trim()).filter(Boolean).map(Number);
  return (lrs.length ? lrs : [0.1]).map((lr, index) => ({
    lr, momentum: momenta.length ? momenta[Math.min(index, momenta.length - 1)] : null,
  }));
}

function previewRequest() {
  const body = {
    param_groups: paramGroups(),
    scheduler: state.spec,
    steps: steps(),
    last_epoch: Number.parseInt(byId('designer-last-epoch').value, 10) || 0,
  };
  if (/plateau/i.test(state.spec.type || '')) {
    body.metrics = syntheticMetrics(body.steps);
  }
  return body;
}

function label(spec) {
  const shown = Object.entries(spec).filter(([key, value]) => key !== 'type' && key !== 'schedulers' && typeof value !== 'object');
  return `${spec.type}(${shown.slice(0, 3).map(([key, value]) => `${key}=${value}`).join(', ')}${shown.length > 3 ? ', …' : ''})`;
}

const preview = debounce(async () => {
  const request = ++state.previewRequest;
  const body = previewRequest();
  byId('designer-status').textContent = 'computing…';
  try {
    const answer = await post('/api/v1/previews', body);
    if (request !== state.previewRequest) {
      return;
    }
    const xs = answer.states.map((entry) => entry.last_epoch);
    const groups = answer.states.length ? answer.states[0].param_groups.length : 0;
    const lrs = Array.from({ length: groups }, (_, g) => answer.states.map((entry) => entry.param_groups[g].lr));
    state.current = { label: label(state.spec), xs, lrs };
    hooks.preview = answer;
    showErrors(null);
    const last = answer.states[answer.states.length - 1];
    byId('designer-status').textContent = last ? `lr at epoch ${last.last_epoch}: ${formatNumber(last.param_groups[0].lr)}` : '';
    drawPreview();
  } catch (failure) {
    if (request === state.previewRequest) {
      byId('designer-status').textContent = '';
      showErrors(failure);
    }
  }
  renderExport();
}, 250);

/** The problem's errors[] at the fields they name, and all of it above the chart. */
function showErrors(failure, extra = []) {
  for (const field of document.querySelectorAll('.field.invalid')) {
    field.classList.remove('invalid');
    messageOf(field).textContent = '';
  }
  byId('spec-json').classList.remove('invalid');
  const box = byId('preview-errors');
  const errors = [...extra, ...(failure?.errors || [])];
  hooks.errors = errors;
  if (!failure && !extra.length) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(...(failure ? [...problemBox(failure).childNodes] : [el('strong', {}, 'Not sent: '),
    el('ul', {}, extra.map((entry) => el('li', {}, el('code', {}, entry.field), ': ', entry.message)))]));
  for (const entry of errors) {
    const target = fieldOf(entry.field || '');
    if (target) {
      target.classList.add('invalid');
      const message = messageOf(target);
      message.textContent = message.textContent ? `${message.textContent}; ${entry.message}` : entry.message;
    } else if (state.mode === 'json') {
      byId('spec-json').classList.add('invalid');
    }
  }
}

/** Where a field shows its error. */
function messageOf(field) {
  let message = field.querySelector('.field-error');
  if (!message) {
    message = el('span', { class: 'field-error' });
    field.append(message);
  }
  return message;
}

/** The form field an error's path names (scheduler.step_size, param_groups[1].lr, steps). */
function fieldOf(path) {
  const argument = /^scheduler\.([A-Za-z_0-9]+)/.exec(path);
  if (argument && state.mode === 'form') {
    return document.querySelector(`.field[data-field="${CSS.escape(argument[1])}"]`);
  }
  const ids = { param_groups: 'designer-lrs', steps: 'designer-steps', last_epoch: 'designer-last-epoch' };
  const own = Object.keys(ids).find((key) => path === key || path.startsWith(`${key}[`) || path.startsWith(`${key}.`));
  return own ? byId(ids[own]).closest('.field') : null;
}

function drawPreview() {
  const curves = [...state.candidates, ...(state.current ? [state.current] : [])];
  const xs = [...new Set(curves.flatMap((curve) => curve.xs))].sort((a, b) => a - b);
  const series = [];
  const data = [xs];
  curves.forEach((curve, index) => {
    const pinned = index < state.candidates.length;
    const at = new Map(curve.xs.map((x, i) => [x, i]));
    curve.lrs.forEach((values, g) => {
      series.push(stepped(`${pinned ? `#${index + 1} ` : ''}${curve.lrs.length > 1 ? `g${g} ` : ''}${curve.label}`,
        pinned ? curve.color : color(g), { dash: pinned ? [6, 4] : undefined, width: pinned ? 1.4 : 2 }));
      data.push(xs.map((x) => (at.has(x) ? values[at.get(x)] : null)));
    });
  });
  state.plot?.destroy();
  state.plot = chart(byId('chart-preview'), { title: 'Learning rate', series, data, logY: state.logY, height: 340 });
  hooks.charts = { preview: state.plot };
  requestAnimationFrame(markDrawn);
}

function renderCandidates() {
  byId('designer-candidates').replaceChildren(...state.candidates.map((candidate, index) => el('li', {},
    el('span', { class: 'swatch', style: `background:${candidate.color}` }), `#${index + 1} ${candidate.label}`,
    el('button', {
      class: 'chip-remove', type: 'button', title: 'Remove', 'aria-label': `Remove candidate ${index + 1}`,
      onclick: () => {
        state.candidates.splice(index, 1);
        renderCandidates();
        drawPreview();
      },
    }, '×'))));
}

// ---------------------------------------------------------------------------------------------
// export

function registration() {
  return { id: 'my-run', param_groups: paramGroups(), scheduler: state.spec };
}

let renderExport = () => {};

// ---------------------------------------------------------------------------------------------
// wiring

function changed() {
  if (state.mode === 'form') {
    const { spec, problems } = readForm();
    state.spec = spec;
    byId('spec-json').value = pretty(spec);
    if (problems.length) {
      showErrors(null, problems);
      return;
    }
  }
  preview();
}

function setMode(mode) {
  if (mode === 'form' && state.mode === 'json' && !typeNamed(state.spec.type)) {
    return; // the form shows only the catalogue's types
  }
  state.mode = mode;
  byId('designer-mode-form').setAttribute('aria-selected', String(mode === 'form'));
  byId('designer-mode-json').setAttribute('aria-selected', String(mode === 'json'));
  byId('designer-args').hidden = mode !== 'form';
  byId('designer-json-pane').hidden = mode !== 'json';
  if (mode === 'form') {
    renderForm();
  } else {
    byId('spec-json').value = pretty(state.spec);
  }
}

async function start() {
  try {
    state.catalogue = (await get('/api/v1/scheduler-types')).types;
  } catch (failure) {
    showError(byId('designer-error'), failure);
    return;
  }
  const torch = state.catalogue.filter((type) => type.description.startsWith('torch.'));
  const huggingFace = state.catalogue.filter((type) => !type.description.startsWith('torch.'));
  byId('designer-type').replaceChildren(
    el('optgroup', { label: 'PyTorch (torch.optim.lr_scheduler)' }, torch.map((type) => el('option', { value: type.name }, type.name))),
    el('optgroup', { label: 'Hugging Face (transformers)' }, huggingFace.map((type) => el('option', { value: type.name }, type.name))));
  state.spec = specOf(typeNamed('OneCycleLR') || state.catalogue[0]);
  renderExport = codeTabs(byId('designer-export-tabs'), byId('designer-export'), [
    { key: 'curl', name: 'curl', text: () => curl(registration(), { withToken: Boolean(token()) }) },
    { key: 'python', name: 'RemoteLRScheduler', text: () => remoteScheduler(registration()) },
    { key: 'torch', name: 'Local torch', text: () => localTorch(state.catalogue, registration()) },
  ]);
  setMode('form');
  byId('spec-json').value = pretty(state.spec);
  preview();
}

byId('designer-type').addEventListener('change', (event) => {
  state.spec = specOf(typeNamed(event.target.value));
  byId('spec-json').value = pretty(state.spec);
  renderForm();
  preview();
});
byId('designer-args').addEventListener('input', debounce(changed, 150));
byId('designer-args').addEventListener('change', changed);
for (const id of ['designer-lrs', 'designer-momentum', 'designer-steps', 'designer-last-epoch']) {
  byId(id).addEventListener('input', () => preview());
}
byId('designer-mode-form').addEventListener('click', () => setMode('form'));
byId('designer-mode-json').addEventListener('click', () => setMode('json'));
byId('spec-json').addEventListener('input', debounce(() => {
  let spec;
  try {
    spec = JSON.parse(byId('spec-json').value);
  } catch (failure) {
    showErrors(null, [{ field: 'JSON', message: failure.message }]);
    byId('spec-json').classList.add('invalid');
    return;
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    showErrors(null, [{ field: 'JSON', message: 'the spec is a JSON object, e.g. {"type": "StepLR", "step_size": 30}' }]);
    return;
  }
  state.spec = spec;
  if (typeNamed(spec.type)) {
    byId('designer-type').value = spec.type;
    byId('designer-type-doc').textContent = typeNamed(spec.type).description;
  }
  preview();
}, 200));
byId('designer-pin').addEventListener('click', () => {
  if (state.current) {
    state.candidates.push({ ...state.current, color: color(state.candidates.length + 3) });
    renderCandidates();
    drawPreview();
  }
});
byId('designer-log').addEventListener('change', (event) => {
  state.logY = event.target.checked;
  drawPreview();
});

start();
