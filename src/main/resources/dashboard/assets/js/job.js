// A job's page: its lr per param group (stepped), momentum where it cycles, the metric on a panel
// sharing the x axis, markers where a resume or state PUT cut the history, live updates by polling
// GET .../lr with If-None-Match, its spec, state document and registration as code. Long histories
// come downsampled by the service (min/max kept); a zoom reads the zoomed range in detail.
import { MAX_HISTORY_POINTS, get, history as readHistory, historyAfter, request, schedulerPath, token } from './api.js';
import { ChartGroup, chart, color, columns, finderChart, measured, stepped } from './charts.js';
import { curl, remoteScheduler } from './codegen.js';
import {
  byId, codeTabs, debounce, el, formatInteger, formatNumber, hooks, markDrawn, mountHeader, pretty, showError, timeCell,
} from './ui.js';

// the benchmark's timeline (bench/dashboard.sh): when the modules ran, when the data was there
performance.mark('stepwise:modules-run');
mountHeader();

const id = decodeURIComponent(location.pathname.slice('/schedulers/'.length));
const POLL_MS = 2000;
const MAX_POLL_MS = 30000;

document.title = `${id} · Stepwise`;
byId('job-id').textContent = id;
byId('job-compare').href = `/compare?ids=${encodeURIComponent(id)}`;

const view = {
  details: null,
  overview: null, // {items, downsampled, total}: the whole range at chart resolution
  items: [], // what the charts show: the overview, or it with a zoomed range in detail
  markers: [],
  group: null,
  logY: false,
  zoom: null,
  applying: false,
  etag: null,
  failures: 0,
  timer: null,
  detailRequest: null,
};

/**
 * How many records to read for the charts: about two per pixel of the window (at least what a
 * chart, narrower, can show), or ?points=N in the address. The page's head script (job.head.js)
 * asks the same before this module loads.
 */
function points() {
  const asked = Number.parseInt(new URLSearchParams(location.search).get('points'), 10);
  const wanted = asked > 0 ? asked : Math.max(200, Math.round(window.innerWidth * 2));
  return Math.min(MAX_HISTORY_POINTS, Math.max(2, wanted));
}

async function load() {
  try {
    const [details, attempts, overview] = await Promise.all([
      get(schedulerPath(id)),
      get(schedulerPath(id, 'attempts')),
      readHistory(id, { points: points() }),
    ]);
    performance.mark('stepwise:data-read');
    view.details = details;
    view.overview = overview;
    view.items = overview.items;
    view.zoom = null;
    view.markers.splice(0, view.markers.length, ...markersOf(attempts));
    showError(byId('job-error'), null);
    renderDetails(attempts);
    draw();
    await loadFinder();
    requestAnimationFrame(markDrawn);
    loadState();
  } catch (failure) {
    showError(byId('job-error'), failure);
  }
}

/**
 * Where the history was cut: every resume and state PUT the service lists (restores), and each
 * attempt that started from a checkpoint.
 */
function markersOf(answer) {
  const markers = [];
  const add = (epoch, by) => {
    const label = by === 'state' ? 'state PUT' : 'resume';
    if (epoch !== null && epoch !== undefined && !markers.some((marker) => marker.epoch === epoch && marker.label === label)) {
      markers.push({ epoch, label });
    }
  };
  for (const restore of answer.restores || []) {
    add(restore.epoch, restore.restored_by);
  }
  for (const attempt of answer.items || []) {
    if (attempt.started_by === 'resume' || attempt.started_by === 'state') {
      add(attempt.start_epoch, attempt.started_by);
    }
  }
  return markers.sort((a, b) => a.epoch - b.epoch);
}

function stat(key, ...value) {
  return el('div', { class: 'stat' }, el('div', { class: 'k' }, key), el('div', { class: 'v' }, ...value));
}

function renderDetails(attemptsAnswer) {
  const { details } = view;
  const groups = details.param_groups || [];
  const last = [...view.overview.items].reverse().find((item) => typeof item.metric === 'number');
  const total = details.summary?.total_steps;
  byId('job-type').replaceChildren(el('span', { class: 'type-pill' }, details.scheduler.type),
    ` · ${groups.length} param ${groups.length === 1 ? 'group' : 'groups'} · registered `, timeCell(details.created_at));
  byId('job-stats').replaceChildren(
    stat('Last epoch', formatInteger(details.last_epoch),
      total !== null && total !== undefined ? el('span', { class: 'muted' }, ` / ${formatInteger(total)}`) : null),
    ...groups.slice(0, 4).map((group, index) => stat(`lr · group ${index}`, formatNumber(group.lr))),
    groups.some((group) => group.momentum !== null && group.momentum !== undefined)
      ? stat('momentum · group 0', formatNumber(groups[0].momentum)) : null,
    stat('Last metric', formatNumber(last ? last.metric : null)),
    stat('Updated', timeCell(details.updated_at)));
  byId('job-spec').textContent = pretty(details.scheduler);
  byId('job-groups').textContent = pretty(details.initial_param_groups);
  const registration = { id, param_groups: details.initial_param_groups, scheduler: details.scheduler };
  codeTabs(byId('job-export-tabs'), byId('job-export'), [
    { key: 'curl', name: 'curl', text: () => curl(registration, { withToken: Boolean(token()) }) },
    { key: 'python', name: 'Python', text: () => remoteScheduler(registration) },
  ]);
  renderAttempts(attemptsAnswer.items || [], attemptsAnswer.restores || []);
}

function table(headings, rows) {
  return el('div', { class: 'table-card' }, el('table', { class: 'jobs' },
    el('thead', {}, el('tr', {}, headings.map((name) => el('th', {}, name)))),
    el('tbody', {}, rows)));
}

function renderAttempts(attempts, restores) {
  const parts = [];
  if (attempts.length) {
    parts.push(table(['Attempt', 'Adopted', 'Started by', 'From epoch', 'Restored epoch', 'Superseded'],
      attempts.map((attempt) => el('tr', {},
        el('td', { class: 'mono' }, attempt.attempt, attempt.current ? el('span', { class: 'muted' }, ' (current)') : null),
        el('td', {}, timeCell(attempt.adopted_at)),
        el('td', {}, attempt.started_by ?? 'not yet'),
        el('td', { class: 'num' }, formatNumber(attempt.start_epoch ?? null)),
        el('td', { class: 'num' }, formatNumber(attempt.restored_epoch ?? null)),
        el('td', {}, attempt.superseded_at ? timeCell(attempt.superseded_at) : '–')))));
  }
  if (restores.length) {
    parts.push(el('h3', {}, 'Resumes and state PUTs (the dashed lines)'),
      table(['When', 'By', 'Restored epoch', 'Discarded up to', 'Attempt'],
        restores.map((restore) => el('tr', {},
          el('td', {}, timeCell(restore.restored_at)),
          el('td', {}, restore.restored_by === 'state' ? 'state PUT' : 'resume'),
          el('td', { class: 'num' }, formatNumber(restore.epoch)),
          el('td', { class: 'num' }, formatNumber(restore.discarded_to ?? null)),
          el('td', { class: 'mono' }, restore.attempt ?? '–')))));
  }
  if (parts.length) {
    byId('job-attempts').replaceChildren(...parts);
  }
}

async function loadState() {
  try {
    byId('job-state').textContent = pretty(await get(schedulerPath(id, 'state')));
  } catch (failure) {
    byId('job-state').textContent = failure.message;
  }
}

/** The rules of GET .../lr-finder, as the panel names them. */
const FINDER_RULES = { steepest: 'steepest descent (Lightning)', valley: 'valley (fastai)' };

/**
 * The LR finder panel, for the range test types (stepwise.LRRangeTest, deepspeed.LRRangeTest): the
 * curve and both suggestions as GET .../lr-finder answers them.
 */
async function loadFinder() {
  const panel = byId('job-finder');
  if (!view.details?.scheduler?.type?.endsWith('LRRangeTest')) {
    return;
  }
  const finder = await get(schedulerPath(id, 'lr-finder'));
  panel.hidden = false;
  view.finder?.destroy();
  const container = byId('chart-finder');
  container.replaceChildren();
  view.finder = finderChart(container, { curve: finder.curve, suggestions: finder.suggestions, labels: FINDER_RULES });
  hooks.charts.finder = view.finder;
  hooks.finder = finder;
  byId('job-finder-suggestions').replaceChildren(...Object.entries(FINDER_RULES).map(([rule, name]) => {
    const suggestion = finder.suggestions[rule];
    return el('li', { 'data-rule': rule }, suggestion.lr === null ? `${name}: none (${suggestion.reason})`
      : `${name}: lr ${formatNumber(suggestion.lr)} (point ${suggestion.index})`);
  }));
}

/** The charts, built anew: from view.items, with the panels the overview needs. */
function draw() {
  view.group?.destroy();
  const group = new ChartGroup((min, max) => {
    if (!view.applying) {
      zoomed(min, max);
    }
  });
  view.group = group;
  const data = columns(view.items);
  const whole = columns(view.overview.items);
  const logY = view.logY;
  const charts = {
    lr: chart(byId('chart-lr'), {
      title: 'Learning rate',
      series: data.lr.map((_, g) => stepped(`lr · group ${g}`, color(g))),
      data: [data.xs, ...data.lr], group, markers: view.markers, logY, height: 300,
    }),
  };
  const momentumPanel = byId('chart-momentum');
  momentumPanel.hidden = !whole.cycles;
  if (whole.cycles) {
    charts.momentum = chart(momentumPanel, {
      title: 'Momentum / beta1',
      series: data.momentum.map((_, g) => stepped(`momentum · group ${g}`, color(g), { dash: [6, 3] })),
      data: [data.xs, ...data.momentum], group, markers: view.markers, height: 160,
    });
  }
  const metricPanel = byId('chart-metric');
  metricPanel.hidden = !whole.measured;
  if (whole.measured) {
    charts.metric = chart(metricPanel, {
      title: 'Metric',
      series: [measured('metric', color(3))],
      data: [data.xs, data.metric], group, markers: view.markers, logY, height: 200,
    });
  }
  if (view.zoom) {
    view.applying = true;
    group.charts.forEach((plot) => plot.setScale('x', view.zoom));
    view.applying = false;
  }
  hooks.charts = charts;
  hooks.markers = view.markers;
  hooks.sampling = { downsampled: view.overview.downsampled, total: view.overview.total, shown: view.items.length };
  renderSampling();
}

/** New records in the charts, keeping the zoom (or following the end when not zoomed). */
function apply(items) {
  view.items = items;
  const data = columns(items);
  const columnsOf = { lr: data.lr, momentum: data.momentum, metric: [data.metric] };
  view.applying = true;
  try {
    for (const [name, plot] of Object.entries(hooks.charts)) {
      plot.setData([data.xs, ...columnsOf[name]], !view.zoom);
      if (view.zoom) {
        plot.setScale('x', view.zoom);
      }
    }
  } finally {
    view.applying = false;
  }
  hooks.sampling = { downsampled: view.overview.downsampled, total: view.overview.total, shown: items.length };
  renderSampling();
}

function renderSampling() {
  const { overview, items } = view;
  byId('job-sampling').textContent = overview.downsampled
    ? `${formatInteger(items.length)} of ${formatInteger(overview.total)} records shown: the service keeps the first, last,`
      + ' lowest and highest of each bucket, so no peak is lost. Zoom in to read a range in detail.'
    : `All ${formatInteger(overview.total)} records.`;
}

/** A zoom (or pan) of a downsampled history: read the range in detail, merged into the overview. */
const zoomed = debounce(async (min, max) => {
  view.zoom = min === null ? null : { min, max };
  if (!view.overview.downsampled) {
    return;
  }
  view.detailRequest?.abort();
  if (!view.zoom) {
    apply(view.overview.items);
    return;
  }
  const controller = new AbortController();
  view.detailRequest = controller;
  try {
    const detail = await readHistory(id, { points: points(), from: Math.floor(min), to: Math.ceil(max), signal: controller.signal });
    if (!detail.items.length || controller.signal.aborted) {
      return;
    }
    const first = detail.items[0].epoch;
    const last = detail.items[detail.items.length - 1].epoch;
    const outside = view.overview.items;
    apply([
      ...outside.filter((item) => item.epoch < first),
      ...detail.items,
      ...outside.filter((item) => item.epoch > last),
    ]);
  } catch (failure) {
    if (failure.name !== 'AbortError') {
      showError(byId('job-error'), failure);
    }
  }
}, 150);

/** Live updates: GET .../lr with the last ETag; a change reads the new records (or all, after a cut). */
async function poll() {
  clearTimeout(view.timer);
  if (document.hidden) {
    return; // resumed by visibilitychange
  }
  try {
    const answer = await request(schedulerPath(id, 'lr'), { etag: view.etag });
    // the first answer only says whether anything changed since the page loaded
    const unseen = view.etag !== null || answer.body?.last_epoch !== view.details?.last_epoch;
    view.etag = answer.etag;
    if (answer.status !== 304 && unseen) {
      await changed(answer.body);
    }
    view.failures = 0;
    byId('job-live').hidden = false;
  } catch {
    view.failures++;
    byId('job-live').hidden = true;
  }
  view.timer = setTimeout(poll, Math.min(MAX_POLL_MS, POLL_MS * 2 ** view.failures));
}

async function changed(state) {
  if (!view.overview) {
    return load();
  }
  const items = view.overview.items;
  const lastEpoch = items.length ? items[items.length - 1].epoch : -Infinity;
  const added = state.last_epoch >= Math.floor(lastEpoch) ? await historyAfter(id, lastEpoch) : [];
  if (!added.length) {
    return load(); // a resume or state PUT cut the history: read it anew
  }
  const before = columns(items);
  view.overview = { ...view.overview, items: [...items, ...added], total: view.overview.total + added.length };
  view.details = await get(schedulerPath(id));
  const after = columns(view.overview.items);
  renderDetails(await get(schedulerPath(id, 'attempts')));
  if (after.cycles !== before.cycles || after.measured !== before.measured) {
    view.items = view.overview.items;
    draw();
  } else if (!view.zoom) {
    apply(view.overview.items);
  }
  await loadFinder();
  loadState();
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) {
    poll();
  }
});
byId('job-log').addEventListener('change', (event) => {
  view.logY = event.target.checked;
  draw();
});
byId('job-reset').addEventListener('click', () => {
  const xs = view.overview?.items.map((item) => item.epoch) || [];
  if (xs.length) {
    view.group.charts[0].setScale('x', { min: xs[0], max: xs[xs.length - 1] });
  }
});

load().then(poll);
