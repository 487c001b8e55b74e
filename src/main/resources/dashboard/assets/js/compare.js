// Compare: the lr and metric curves of several jobs overlaid on one x axis (restarted attempts,
// variants of a schedule). Each job's history comes downsampled by the service, as on its page.
import { history as readHistory } from './api.js';
import { ChartGroup, chart, color, columns, measured, stepped } from './charts.js';
import { byId, el, hooks, markDrawn, mountHeader, showError } from './ui.js';

mountHeader();

const GROUP_DASHES = [undefined, [6, 3], [2, 3], [10, 3, 2, 3]];

function idsInAddress() {
  const raw = new URLSearchParams(location.search).get('ids') || '';
  return [...new Set(raw.split(',').map((id) => id.trim()).filter(Boolean))];
}

let ids = idsInAddress();
let group = null;
let logY = false;
let loaded = [];

function setIds(next) {
  ids = [...new Set(next)];
  const search = ids.length ? `?ids=${ids.map(encodeURIComponent).join(',')}` : '';
  window.history.replaceState(null, '', location.pathname + search);
  load();
}

function renderChips() {
  byId('compare-ids').replaceChildren(...ids.map((id, index) => el('li', {},
    el('span', { class: 'swatch', style: `background:${color(index)}` }),
    el('a', { href: `/schedulers/${encodeURIComponent(id)}` }, id),
    el('button', {
      class: 'chip-remove', type: 'button', 'aria-label': `Remove ${id}`, title: 'Remove',
      onclick: () => setIds(ids.filter((other) => other !== id)),
    }, '×'))));
}

async function load() {
  renderChips();
  const points = Math.min(10000, Math.max(200, Math.round(byId('chart-lr').clientWidth * 2)));
  const answers = await Promise.allSettled(ids.map((id) => readHistory(id, { points })));
  const failures = [];
  loaded = [];
  answers.forEach((answer, index) => {
    if (answer.status === 'fulfilled') {
      loaded.push({ id: ids[index], index, items: answer.value.items });
    } else {
      failures.push(answer.reason);
    }
  });
  const errors = byId('compare-error');
  errors.replaceChildren();
  failures.forEach((failure) => {
    const box = el('div');
    showError(box, failure);
    errors.append(box);
  });
  draw();
}

function draw() {
  group?.destroy();
  group = new ChartGroup();
  if (!loaded.length) {
    byId('chart-metric').hidden = true;
    byId('chart-lr').replaceChildren(el('p', { class: 'empty' },
      ids.length ? 'Nothing to show.' : 'Add scheduler ids above, or select some in the list of schedulers.'));
    hooks.charts = {};
    return;
  }
  byId('chart-lr').replaceChildren();
  const xs = [...new Set(loaded.flatMap((job) => job.items.map((item) => item.epoch)))].sort((a, b) => a - b);
  const lrSeries = [];
  const lrData = [xs];
  const metricSeries = [];
  const metricData = [xs];
  for (const job of loaded) {
    const data = columns(job.items);
    const at = new Map(data.xs.map((x, i) => [x, i]));
    const aligned = (values) => xs.map((x) => (at.has(x) ? values[at.get(x)] : null));
    data.lr.forEach((values, g) => {
      lrSeries.push(stepped(data.lr.length > 1 ? `${job.id} · g${g}` : job.id, color(job.index),
        { dash: GROUP_DASHES[g % GROUP_DASHES.length] }));
      lrData.push(aligned(values));
    });
    if (data.measured) {
      metricSeries.push(measured(job.id, color(job.index)));
      metricData.push(aligned(data.metric));
    }
  }
  const charts = {
    lr: chart(byId('chart-lr'), { title: 'Learning rate', series: lrSeries, data: lrData, group, logY, height: 320 }),
  };
  byId('chart-metric').hidden = !metricSeries.length;
  if (metricSeries.length) {
    charts.metric = chart(byId('chart-metric'), { title: 'Metric', series: metricSeries, data: metricData, group, logY, height: 220 });
  }
  hooks.charts = charts;
  hooks.jobs = loaded.map((job) => job.id);
  requestAnimationFrame(markDrawn);
}

byId('compare-add').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = byId('compare-id').value.trim();
  if (id) {
    byId('compare-id').value = '';
    setIds([...ids, id]);
  }
});
byId('compare-log').addEventListener('change', (event) => {
  logY = event.target.checked;
  draw();
});

load();
