// Charts with uPlot (served from its WebJar): stepped lr lines, panels sharing one x axis (synced
// cursor and zoom), markers, drag zoom, wheel and shift-drag pan, log y, hover values in the legend.
import uPlot from 'uplot';
import { el, formatNumber } from './ui.js';

export const PALETTE = ['#4f46e5', '#e11d48', '#059669', '#d97706', '#0891b2', '#7c3aed', '#65a30d', '#db2777',
  '#2563eb', '#ea580c'];

export function color(index) {
  return PALETTE[index % PALETTE.length];
}

/** A series drawn as PyTorch applies an lr: held from its epoch until the next one (never smoothed). */
export function stepped(label, stroke, { dash, width = 1.6, scale = 'y' } = {}) {
  return {
    label, stroke, width, dash, scale,
    // overlays align several histories on the union of their epochs: a held lr spans the gaps
    spanGaps: true,
    paths: uPlot.paths.stepped({ align: 1 }),
    points: { show: false },
    value: (u, v) => formatNumber(v),
  };
}

/** A measured series (the metric): straight segments between measurements, points when few. */
export function measured(label, stroke, { dash } = {}) {
  return {
    label, stroke, width: 1.6, dash, spanGaps: true,
    points: { show: (u) => u.data[0].length < 200, size: 4, fill: stroke },
    value: (u, v) => formatNumber(v),
  };
}

/**
 * Charts that share their x axis: the cursor moves on all of them, a zoom or pan on one zooms
 * the others, and onRange(min, max) hears of every change (null, null: zoomed out).
 */
export class ChartGroup {
  constructor(onRange = () => {}) {
    this.key = `stepwise-${Math.random().toString(36).slice(2)}`;
    this.charts = [];
    this.onRange = onRange;
    this.syncing = false;
  }

  rangeChanged(source) {
    if (this.syncing) {
      return;
    }
    this.syncing = true;
    const { min, max } = source.scales.x;
    for (const chart of this.charts) {
      if (chart !== source && (chart.scales.x.min !== min || chart.scales.x.max !== max)) {
        chart.setScale('x', { min, max });
      }
    }
    this.syncing = false;
    const [first, last] = extent(source.data[0]);
    const whole = first === undefined || (min <= first && max >= last);
    this.onRange(whole ? null : min, whole ? null : max);
  }

  destroy() {
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
  }
}

function extent(xs) {
  return xs.length ? [xs[0], xs[xs.length - 1]] : [];
}

function cssVariable(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Vertical dashed lines with a label at epochs: where a resume or a state PUT cut the history. */
function markersPlugin(markers) {
  return {
    hooks: {
      draw: [(u) => {
        if (!markers.length) {
          return;
        }
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const ratio = devicePixelRatio || 1;
        ctx.save();
        ctx.strokeStyle = cssVariable('--marker');
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = ratio;
        ctx.setLineDash([5 * ratio, 4 * ratio]);
        ctx.font = `${11 * ratio}px ${cssVariable('--sans')}`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        for (const marker of markers) {
          const x = Math.round(u.valToPos(marker.epoch, 'x', true));
          if (x < left || x > left + width) {
            continue;
          }
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          ctx.fillText(marker.label, x + 4 * ratio, top + 12 * ratio);
        }
        ctx.restore();
      }],
    },
  };
}

/** The mouse wheel zooms x around the cursor (shift + wheel pans); within the data's extent. */
function wheelPlugin() {
  return {
    hooks: {
      ready: [(u) => {
        u.over.addEventListener('wheel', (event) => {
          const [first, last] = extent(u.data[0]);
          if (first === undefined || first === last) {
            return;
          }
          event.preventDefault();
          const { min, max } = u.scales.x;
          const range = max - min;
          const width = u.over.getBoundingClientRect().width;
          if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
            const delta = ((event.shiftKey ? event.deltaY : event.deltaX) / width) * range;
            setClamped(u, min + delta, max + delta, first, last);
            return;
          }
          const at = u.posToVal(event.offsetX, 'x');
          const factor = event.deltaY < 0 ? 0.75 : 1 / 0.75;
          setClamped(u, at - (at - min) * factor, at + (max - at) * factor, first, last);
        }, { passive: false });
      }],
    },
  };
}

function setClamped(u, min, max, first, last) {
  const range = Math.min(max - min, last - first);
  let lo = Math.max(first, min);
  let hi = lo + range;
  if (hi > last) {
    hi = last;
    lo = last - range;
  }
  u.setScale('x', { min: lo, max: hi });
}

/** Shift-drag pans; a plain drag selects a range to zoom into (uPlot's own). */
function panOrSelect(u, target, handler) {
  return (event) => {
    if (event.button !== 0) {
      return null;
    }
    if (!event.shiftKey) {
      return handler(event);
    }
    event.preventDefault();
    const [first, last] = extent(u.data[0]);
    const start = { x: event.clientX, min: u.scales.x.min, max: u.scales.x.max };
    const width = u.over.getBoundingClientRect().width;
    const move = (moved) => {
      const delta = ((start.x - moved.clientX) / width) * (start.max - start.min);
      setClamped(u, start.min + delta, start.max + delta, first, last);
    };
    const up = () => {
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
    return null;
  };
}

/**
 * A chart in a container, sized to it. series: uPlot series after x; data: [xs, ...ys];
 * markers: [{epoch, label}] (kept by reference: change it and redraw); logY: log10 y scale.
 */
export function chart(container, { title, series, data, group, markers = [], logY = false, height = 260, onDraw }) {
  const muted = cssVariable('--fg-muted');
  const grid = cssVariable('--grid');
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const shown = logY ? data.map((column, index) => (index === 0 ? column : column.map(positiveOrNull))) : data;
  const options = {
    title,
    width: Math.max(240, container.clientWidth),
    height,
    scales: { x: { time: false }, y: logY ? { distr: 3, log: 10 } : { auto: true } },
    axes: [
      // epochs: whole-number ticks
      { ...axis, incrs: EPOCH_TICKS, values: (u, splits) => splits.map(formatNumber) },
      { ...axis, size: 72, values: (u, splits) => splits.map(formatNumber) },
    ],
    series: [{ label: 'epoch', value: (u, v) => formatNumber(v) }, ...series],
    cursor: {
      sync: group ? { key: group.key } : undefined,
      drag: { x: true, y: false, setScale: true },
      bind: { mousedown: panOrSelect },
    },
    legend: { live: true },
    plugins: [markersPlugin(markers), wheelPlugin()],
    hooks: {
      setScale: [(u, key) => {
        if (key === 'x' && group && group.charts.includes(u)) {
          group.rangeChanged(u);
        }
      }],
      draw: onDraw ? [onDraw] : [],
    },
  };
  const plot = new uPlot(options, shown, container);
  if (group) {
    group.charts.push(plot);
  }
  const resized = new ResizeObserver(() => {
    const width = Math.max(240, container.clientWidth);
    if (width !== plot.width) {
      plot.setSize({ width, height });
    }
  });
  resized.observe(container);
  const destroy = plot.destroy.bind(plot);
  plot.destroy = () => {
    resized.disconnect();
    destroy();
  };
  return plot;
}

/** Tick spacings of the epoch axis: 1, 2, 5, 10, 20, 50, … */
const EPOCH_TICKS = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

function positiveOrNull(value) {
  return value > 0 ? value : null;
}

/** A small stepped line of values, as SVG (for table rows: no canvas per row). */
export function sparkline(values, { width = 120, height = 28 } = {}) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('aria-hidden', 'true');
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) {
    return svg;
  }
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const y = (v) => (hi === lo ? height / 2 : 2 + (height - 4) * (1 - (v - lo) / (hi - lo)));
  const step = width / (values.length - 1);
  let d = '';
  values.forEach((value, index) => {
    if (!Number.isFinite(value)) {
      return;
    }
    const x = (index * step).toFixed(1);
    d += d ? `H${x}V${y(value).toFixed(1)}` : `M${x} ${y(value).toFixed(1)}`;
  });
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

/**
 * The columns of history records: xs, lr and momentum per group, the metric (non-finite metrics
 * as gaps); cycles: whether some group's momentum changes; measured: whether a record has a metric.
 */
export function columns(items) {
  const xs = items.map((item) => item.epoch);
  const groups = items.length ? items[0].param_groups.length : 0;
  const lr = [];
  const momentum = [];
  for (let g = 0; g < groups; g++) {
    lr.push(items.map((item) => item.param_groups[g]?.lr ?? null));
    momentum.push(items.map((item) => item.param_groups[g]?.momentum ?? null));
  }
  const metric = items.map((item) => (typeof item.metric === 'number' ? item.metric : null));
  return {
    xs, lr, momentum, metric,
    cycles: momentum.some((values) => values.some((v) => v !== null && v !== values[0])),
    measured: metric.some((v) => v !== null),
  };
}

/** A legend swatch. */
export function swatch(stroke) {
  return el('span', { class: 'swatch', style: `background:${stroke}` });
}

/**
 * The lr finder's chart: the smoothed loss against the lr on a log x axis, and each rule's
 * suggestion as a marked point of its own series, named in the legend. curve: {lr, loss} as the
 * API answers it (non-finite losses are strings: not drawn); suggestions: {name: {index}}.
 */
export function finderChart(container, { curve, suggestions, labels, height = 280 }) {
  const muted = cssVariable('--fg-muted');
  const grid = cssVariable('--grid');
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const losses = curve.loss.map((value) => (Number.isFinite(Number(value)) ? Number(value) : null));
  const names = Object.keys(suggestions);
  const marked = names.map((name) => {
    const column = losses.map(() => null);
    const index = suggestions[name].index;
    if (index !== null && index !== undefined) {
      column[index] = losses[index];
    }
    return column;
  });
  const series = [
    { label: 'lr', value: (u, v) => formatNumber(v) },
    { label: 'smoothed loss', stroke: color(0), width: 1.6, spanGaps: true, points: { show: false },
      value: (u, v) => formatNumber(v) },
    ...names.map((name, i) => ({
      label: labels[name], stroke: color(i + 1), width: 0, paths: () => null,
      points: { show: true, size: 11, width: 2, fill: color(i + 1) }, value: (u, v) => formatNumber(v),
    })),
  ];
  const options = {
    title: 'Smoothed loss against the learning rate',
    width: Math.max(240, container.clientWidth),
    height,
    // log x as Lightning plots an exponential ramp; linear where an lr is 0
    scales: { x: curve.lr.every((lr) => lr > 0) ? { time: false, distr: 3, log: 10 } : { time: false },
      y: { auto: true } },
    axes: [
      { ...axis, values: (u, splits) => splits.map(formatNumber) },
      { ...axis, size: 72, values: (u, splits) => splits.map(formatNumber) },
    ],
    series,
    legend: { live: true },
  };
  return new uPlot(options, [curve.lr, losses, ...marked], container);
}
