// Inlined in the job page's head: starts its first reads while the modules load, which on a
// browser's first visit takes most of a second. api.js's request() takes each answer over; the
// same paths and headers as it would send (the history at two points per pixel of the window,
// as job.js asks).
(() => {
  const id = decodeURIComponent(location.pathname.slice('/schedulers/'.length));
  const base = `/api/v1/schedulers/${encodeURIComponent(id)}`;
  const asked = Number.parseInt(new URLSearchParams(location.search).get('points'), 10);
  const points = Math.min(10000, Math.max(2, asked > 0 ? asked : Math.max(200, Math.round(window.innerWidth * 2))));
  const headers = { Accept: 'application/json' };
  const secret = sessionStorage.getItem('stepwise.token');
  if (secret) {
    headers.Authorization = `Bearer ${secret}`;
  }
  const early = new Map();
  for (const path of [base, `${base}/attempts`, `${base}/history?points=${points}`]) {
    const answer = fetch(path, { headers, cache: 'no-store' });
    // a failure is the taker's to report
    answer.catch(() => {});
    early.set(path, answer);
  }
  window.stepwiseEarly = early;
  performance.mark('stepwise:reads-started');
})();
