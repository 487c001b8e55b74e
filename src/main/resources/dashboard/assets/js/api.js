// The API as the pages call it: same origin, the user's bearer token when one is set, problems as errors.

const TOKEN_KEY = 'stepwise.token';

/** An RFC 9457 problem the API answered. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/** The API answered 401: the page asks for a token (see ui.js). */
export class AuthRequired extends ProblemError {}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value.trim());
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/**
 * The answer a page's head script began to read for a plain GET of this path (with the same
 * headers), taken once: a later read of the path asks again.
 */
function early(path, method, body, etag) {
  const started = window.stepwiseEarly;
  if (!started || method !== 'GET' || body !== undefined || etag || !started.has(path)) {
    return null;
  }
  const answer = started.get(path);
  started.delete(path);
  return answer;
}

/**
 * One request. Resolves to {status, etag, body}; a 304 has no body. The browser's cache is
 * bypassed, so that If-None-Match is the page's own and a 304 reaches it.
 */
export async function request(path, { method = 'GET', body, etag, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const secret = token();
  if (secret) {
    headers.Authorization = `Bearer ${secret}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (etag) {
    headers['If-None-Match'] = etag;
  }
  const response = await (early(path, method, body, etag) || fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    signal,
  }));
  if (response.status === 304) {
    return { status: 304, etag: response.headers.get('ETag'), body: null };
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { title: response.statusText, detail: text.slice(0, 200) };
  }
  if (response.status === 401) {
    const error = new AuthRequired(401, json);
    window.dispatchEvent(new CustomEvent('stepwise:auth-required', { detail: error }));
    throw error;
  }
  if (!response.ok) {
    throw new ProblemError(response.status, json);
  }
  return { status: response.status, etag: response.headers.get('ETag'), body: json };
}

export async function get(path, options) {
  return (await request(path, options)).body;
}

export async function post(path, body, options = {}) {
  return (await request(path, { ...options, method: 'POST', body })).body;
}

/** The path of a scheduler's resource, or of one of its sub-resources. */
export function schedulerPath(id, sub = '') {
  return `/api/v1/schedulers/${encodeURIComponent(id)}${sub ? '/' + sub : ''}`;
}

/** A query string of the defined entries. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The largest `points` a history request may ask for (the API's limit). */
export const MAX_HISTORY_POINTS = 10000;

/**
 * A scheduler's history between two epochs, downsampled by the service to about `points`
 * records (every record when the range holds fewer). Returns {items, downsampled, total}.
 */
export async function history(id, { points, from, to, signal } = {}) {
  const n = Math.max(2, Math.min(MAX_HISTORY_POINTS, Math.round(points || 1000)));
  const page = await get(schedulerPath(id, 'history') + query({ points: n, from_epoch: from, to_epoch: to }), { signal });
  return {
    items: page.items || page.records || [],
    downsampled: Boolean(page.downsampled),
    total: page.total_records ?? (page.items || page.records || []).length,
  };
}

/** Every record after an epoch (live updates: a few at a time), following next_from_epoch. */
export async function historyAfter(id, epoch, { signal } = {}) {
  const records = [];
  let from = epoch;
  for (let pages = 0; pages < 20 && from !== null && from !== undefined; pages++) {
    const page = await get(schedulerPath(id, 'history') + query({ from_epoch: from, limit: 10000 }), { signal });
    for (const item of page.items || page.records || []) {
      if (item.epoch > epoch) {
        records.push(item);
      }
    }
    from = page.next_from_epoch;
  }
  return records;
}
