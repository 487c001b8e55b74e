// What every page shares: the header with navigation and the token field, DOM and number helpers,
// problems shown as a box that names each field.
import { AuthRequired, setToken, token } from './api.js';

/** An element: el('a', {href: '/', class: 'x'}, 'text', child, ...). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (value === true) {
      element.setAttribute(key, '');
    } else {
      element.setAttribute(key, String(value));
    }
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export function byId(id) {
  return document.getElementById(id);
}

const NAVIGATION = [
  ['/', 'Schedulers'],
  ['/designer', 'Designer'],
  ['/compare', 'Compare'],
];

/** The header: brand, navigation (the current page marked) and the token state. */
export function mountHeader() {
  const header = byId('top');
  header.className = 'site';
  const here = location.pathname;
  const current = here.startsWith('/schedulers/') ? '/' : here;
  const icon = document.querySelector('link[rel="icon"]').getAttribute('href');
  header.replaceChildren(
    el('a', { class: 'brand', href: '/' }, el('img', { src: icon, alt: '' }), 'Stepwise'),
    el('nav', { class: 'main', 'aria-label': 'Pages' },
      NAVIGATION.map(([href, label]) => el('a', { href, 'aria-current': current === href ? 'page' : null }, label)),
      el('a', { href: '/swagger-ui.html' }, 'API')),
    tokenState());
  window.addEventListener('stepwise:auth-required', () => showTokenPanel(true));
}

function tokenState() {
  if (!token()) {
    return el('div', { class: 'token-state' },
      el('button', { class: 'button secondary small', type: 'button', onclick: () => showTokenPanel(false) }, 'Set token'));
  }
  return el('div', { class: 'token-state muted' }, 'token set',
    el('button', {
      class: 'button secondary small', type: 'button',
      onclick: () => { setToken(''); location.reload(); },
    }, 'Forget'));
}

/** The token field under the header: asked for when the API answers 401. */
function showTokenPanel(required) {
  if (byId('token-panel')) {
    return;
  }
  const input = el('input', {
    id: 'token-input', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'sw_…', 'aria-label': 'Bearer token',
  });
  const panel = el('div', { class: 'token-panel', id: 'token-panel' },
    el('form', {
      onsubmit: (event) => {
        event.preventDefault();
        setToken(input.value);
        location.reload();
      },
    },
    el('strong', {}, required ? 'This service needs a token.' : 'API token'),
    el('span', { class: 'muted' }, 'A read token shows the schedulers of its scope; it is kept in this tab only.'),
    input,
    el('button', { class: 'button', type: 'submit' }, 'Use token')));
  byId('top').after(panel);
  input.focus();
}

/** A problem (or any error) as a box: title, detail and every errors[] entry with its field. */
export function problemBox(error) {
  if (error instanceof AuthRequired) {
    return el('div', { class: 'problem' }, el('strong', {}, 'A token is needed. '),
      'Enter one above: the API answered 401.');
  }
  const problem = error.problem || {};
  const errors = error.errors || [];
  return el('div', { class: 'problem', role: 'alert' },
    el('strong', {}, problem.title || 'Error'),
    problem.status ? el('span', { class: 'muted' }, ` (${problem.status})`) : null,
    el('div', {}, problem.detail || error.message || String(error)),
    errors.length ? el('ul', {}, errors.map((entry) => el('li', {}, el('code', {}, entry.field || ''), ': ', entry.message))) : null);
}

/** Shows an error in a container (or clears it when error is null). */
export function showError(container, error) {
  container.replaceChildren(...(error ? [problemBox(error)] : []));
  if (error && !(error.problem || error instanceof AuthRequired)) {
    console.warn(error);
  }
}

/** A learning rate or metric, short and exact enough: 6 significant digits. */
export function formatNumber(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (value === 0) {
    return '0';
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e6) {
    return String(Number(value.toPrecision(6)));
  }
  return value.toExponential(4).replace(/\.?0+e/, 'e');
}

export function formatInteger(value) {
  return value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US');
}

/** "3 min ago" from an ISO instant. */
export function ago(iso) {
  if (!iso) {
    return '–';
  }
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) {
    return `${Math.round(seconds)} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  return `${Math.round(seconds / 86400)} d ago`;
}

/** A time element: relative text, the exact instant on hover. */
export function timeCell(iso) {
  return el('time', { datetime: iso, title: iso ? new Date(iso).toISOString() : '' }, ago(iso));
}

/** Runs fn at most once per wait ms, after the last call. */
export function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

/**
 * Tabs over code blocks with a copy button: [{name, text}] (text a function, read when shown).
 * Returns a function that re-renders the selected tab.
 */
export function codeTabs(tabsContainer, bodyContainer, tabs) {
  let selected = 0;
  const render = () => {
    tabsContainer.replaceChildren(...tabs.map((tab, index) => el('button', {
      type: 'button', class: 'tab', role: 'tab', 'aria-selected': String(index === selected),
      'data-export': tab.key,
      onclick: () => { selected = index; render(); },
    }, tab.name)));
    const text = tabs[selected].text();
    const status = el('span', { class: 'muted small' });
    bodyContainer.replaceChildren(
      el('pre', { class: 'code', id: `export-${tabs[selected].key}` }, text),
      el('div', { class: 'export-actions' }, status,
        el('button', {
          class: 'button secondary small', type: 'button',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(text);
              status.textContent = 'Copied.';
            } catch {
              status.textContent = 'Select the text and copy it (the clipboard needs a secure context).';
            }
          },
        }, 'Copy')));
  };
  render();
  return render;
}

/** JSON, indented, for reading. */
export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** The page's test and benchmark hooks: the charts' data, and when they were first drawn. */
export const hooks = (window.stepwise = window.stepwise || { charts: {}, ready: false });

export function markDrawn() {
  if (!hooks.ready) {
    hooks.ready = true;
    performance.mark('stepwise:charts-drawn');
  }
}
