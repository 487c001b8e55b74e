// The jobs list: one page of schedulers at a time (paged, filtered and sorted by the API, never all
// of them), each with its current lrs, last metric and a sparkline of its downsampled history.
import { get, history as readHistory, query } from './api.js';
import { sparkline } from './charts.js';
import { byId, debounce, el, formatInteger, formatNumber, hooks, markDrawn, mountHeader, showError, timeCell } from './ui.js';

mountHeader();

const DEFAULT_DIRECTION = { id: 'asc', created_at: 'desc', updated_at: 'desc', last_epoch: 'desc' };
const SPARK_POINTS = 60;
const SPARK_CONCURRENCY = 4;
/** The API's largest page (Limits.MAX_PAGE_SIZE). */
const MAX_PAGE_SIZE = 500;

/** What the list shows, kept in the address so that back, forward and links work. */
function readState() {
  const params = new URLSearchParams(location.search);
  const sort = DEFAULT_DIRECTION[params.get('sort')] ? params.get('sort') : 'created_at';
  const direction = ['asc', 'desc'].includes(params.get('direction')) ? params.get('direction') : DEFAULT_DIRECTION[sort];
  return {
    page: Math.max(0, Number.parseInt(params.get('page'), 10) || 0),
    size: Math.min(MAX_PAGE_SIZE, Math.max(1, Number.parseInt(params.get('size'), 10) || 20)),
    sort,
    direction,
    q: params.get('q') || '',
  };
}

let state = readState();
let loading = null;
const selected = new Set();

function writeState(next, { replace = false } = {}) {
  state = { ...state, ...next };
  const defaults = { page: 0, size: 20, sort: 'created_at', direction: DEFAULT_DIRECTION[state.sort], q: '' };
  const shown = Object.fromEntries(Object.entries(state).filter(([key, value]) => defaults[key] !== value));
  const url = location.pathname + query(shown);
  if (replace) {
    window.history.replaceState(null, '', url);
  } else {
    window.history.pushState(null, '', url);
  }
  load();
}

async function load() {
  loading?.abort();
  const controller = new AbortController();
  loading = controller;
  const error = byId('jobs-error');
  try {
    const page = await get('/api/v1/schedulers' + query({
      page: state.page, size: state.size, sort: state.sort, direction: state.direction, id_contains: state.q,
    }), { signal: controller.signal });
    showError(error, null);
    render(page);
    hooks.page = page;
    markDrawn();
    await sparklines(page.items, controller.signal);
  } catch (failure) {
    if (failure.name !== 'AbortError') {
      showError(error, failure);
      byId('jobs-body').replaceChildren();
    }
  }
}

function render(page) {
  byId('jobs-filter').value = state.q;
  const sizes = byId('jobs-size');
  if (![...sizes.options].some((option) => option.value === String(state.size))) {
    sizes.append(el('option', {}, String(state.size)));
  }
  sizes.value = String(state.size);
  const total = page.total_items;
  byId('jobs-count').textContent = state.q
    ? `${formatInteger(total)} ${total === 1 ? 'scheduler matches' : 'schedulers match'} “${state.q}”`
    : `${formatInteger(total)} ${total === 1 ? 'scheduler' : 'schedulers'}`;
  for (const header of document.querySelectorAll('th[data-sort]')) {
    const sorted = header.dataset.sort === state.sort;
    header.setAttribute('aria-sort', sorted ? (state.direction === 'asc' ? 'ascending' : 'descending') : 'none');
  }
  byId('jobs-body').replaceChildren(...page.items.map(row));
  const empty = byId('jobs-empty');
  empty.hidden = page.items.length > 0;
  empty.replaceChildren(...(state.q
    ? ['No scheduler id contains “', el('code', {}, state.q), '”.']
    : ['No schedulers yet. Register one with the API (see the README’s quickstart), or try one in the ',
      el('a', { href: '/designer' }, 'designer'), '.']));
  const pages = Math.max(1, page.total_pages);
  byId('jobs-page').textContent = `Page ${formatInteger(page.page + 1)} of ${formatInteger(pages)}`;
  byId('jobs-prev').disabled = page.page <= 0;
  byId('jobs-next').disabled = page.page + 1 >= pages;
  updateCompare();
}

function lrsOf(item) {
  if (item.summary && Array.isArray(item.summary.lrs)) {
    return item.summary.lrs;
  }
  return (item.param_groups || []).map((group) => group.lr);
}

function row(item) {
  const summary = item.summary || {};
  const lrs = lrsOf(item);
  const total = summary.total_steps;
  const href = `/schedulers/${encodeURIComponent(item.id)}`;
  const checkbox = el('input', {
    type: 'checkbox', 'aria-label': `Select ${item.id}`, checked: selected.has(item.id),
    onchange: (event) => {
      if (event.target.checked) {
        selected.add(item.id);
      } else {
        selected.delete(item.id);
      }
      updateCompare();
    },
  });
  return el('tr', { 'data-id': item.id },
    el('td', { class: 'select' }, checkbox),
    el('td', { class: 'id' }, el('a', { href }, item.id)),
    el('td', {}, el('span', { class: 'type-pill' }, item.scheduler?.type ?? '?')),
    el('td', { class: 'num', 'data-col': 'epoch' },
      formatInteger(item.last_epoch), total !== null && total !== undefined ? el('span', { class: 'muted' }, ` / ${formatInteger(total)}`) : null),
    el('td', { class: 'num', 'data-col': 'lr', title: lrs.map(formatNumber).join(', ') },
      lrs.slice(0, 2).map(formatNumber).join(', '), lrs.length > 2 ? el('span', { class: 'muted' }, ` +${lrs.length - 2}`) : null),
    el('td', { class: 'num', 'data-col': 'metric' }, formatNumber(summary.last_metric ?? null)),
    el('td', { 'data-col': 'updated' }, timeCell(item.updated_at)),
    el('td', { class: 'hide-narrow' }, timeCell(item.created_at)),
    el('td', { class: 'spark-col', 'data-col': 'spark' }));
}

/** Each row's sparkline, a few requests at a time; abandoned when the page changes. */
async function sparklines(items, signal) {
  const queue = [...items];
  const worker = async () => {
    while (queue.length && !signal.aborted) {
      const item = queue.shift();
      try {
        const { items: records } = await readHistory(item.id, { points: SPARK_POINTS, signal });
        const cell = document.querySelector(`tr[data-id="${CSS.escape(item.id)}"] td[data-col="spark"]`);
        cell?.replaceChildren(sparkline(records.map((record) => record.param_groups[0]?.lr)));
      } catch (failure) {
        if (failure.name === 'AbortError') {
          return;
        }
        // a row without a sparkline is no reason to fail the list (e.g. deleted meanwhile)
      }
    }
  };
  await Promise.all(Array.from({ length: SPARK_CONCURRENCY }, worker));
}

function updateCompare() {
  const button = byId('jobs-compare');
  button.disabled = selected.size < 1;
  button.textContent = selected.size ? `Compare ${selected.size} selected` : 'Compare selected';
}

byId('jobs-compare').addEventListener('click', () => {
  location.href = `/compare?ids=${[...selected].map(encodeURIComponent).join(',')}`;
});
byId('jobs-refresh').addEventListener('click', () => load());
byId('jobs-prev').addEventListener('click', () => writeState({ page: Math.max(0, state.page - 1) }));
byId('jobs-next').addEventListener('click', () => writeState({ page: state.page + 1 }));
byId('jobs-size').addEventListener('change', (event) => writeState({ size: Number(event.target.value), page: 0 }));
byId('jobs-filter').addEventListener('input', debounce((event) => {
  writeState({ q: event.target.value.trim(), page: 0 }, { replace: true });
}, 250));
for (const header of document.querySelectorAll('th[data-sort]')) {
  header.tabIndex = 0;
  const sortBy = () => {
    const sort = header.dataset.sort;
    const direction = sort === state.sort
      ? (state.direction === 'asc' ? 'desc' : 'asc')
      : DEFAULT_DIRECTION[sort];
    writeState({ sort, direction, page: 0 });
  };
  header.addEventListener('click', sortBy);
  header.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      sortBy();
    }
  });
}
window.addEventListener('popstate', () => {
  state = readState();
  load();
});

load();
