// Line charts drawn by uPlot (from its WebJar, served by the control plane: no CDN): a deployment's traffic per
// version over time, a rollout's canary against its stable version per decision, and an SLO's error budget over
// its window. A canvas says nothing to a screen reader or a keyboard, so each chart is a figure with a caption, a
// one-line summary as its text alternative, and the numbers it draws in a table under "Numbers".

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { h, table } from './dom.js';

const HEIGHT = 180;

/** How each role's line looks: not by colour alone, so the dashes tell them apart too. */
const LOOKS = {
  canary: { stroke: '#1f5fbf', dash: null },
  stable: { stroke: '#596173', dash: [6, 4] },
  shadow: { stroke: '#8a5a00', dash: [2, 3] },
};

/** A percentage of a share: 0.005 → "0.50 %". */
export function percent(value) {
  return `${(value * 100).toFixed(Math.abs(value) < 0.1 ? 2 : 1)} %`;
}

const shortTime = (seconds) => new Date(seconds * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayAndTime = (seconds) => new Date(seconds * 1000).toLocaleString('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * A chart as a figure. xs: the x values (epoch seconds when time, else numbers); series: [{name, role, values}],
 * values lined up with xs, null where there is nothing to draw; format writes a y value; xLabel writes an x value
 * for the table and the summary; xName heads the table's first column.
 */
export function lineChart({ id, title, xs, series, format, time = true, xLabel, xName = 'Time', xTick }) {
  const label = xLabel || (time ? shortTime : (value) => `#${value}`);
  const summaryId = `${id}-summary`;
  const plot = h('div', { class: 'chart-plot', role: 'img', 'aria-labelledby': `${id}-caption ${summaryId}` });
  const figure = h('figure', { id, class: 'chart-figure', 'aria-labelledby': `${id}-caption` },
    h('figcaption', { id: `${id}-caption` }, title),
    plot,
    h('p', { id: summaryId, class: 'chart-summary' }, summary(series, format)),
    h('details', { class: 'chart-data' },
      h('summary', {}, 'Numbers'),
      table({
        caption: title,
        columns: [xName, ...series.map((line) => line.name)],
        rows: xs.map((x, i) => [label(x), ...series.map((line) => (isNumber(line.values[i]) ? format(line.values[i]) : '—'))]),
        empty: 'Nothing to show.',
      })));
  draw(plot, { xs, series, format, time, xLabel: label, xTick });
  return figure;
}

/** Per line: the last value drawn and the lowest and highest, so the text alternative says what the lines show. */
function summary(series, format) {
  return series.map((line) => {
    const values = line.values.filter(isNumber);
    if (!values.length) {
      return `${line.name}: no data.`;
    }
    const lowest = Math.min(...values);
    const highest = Math.max(...values);
    return `${line.name}: latest ${format(values[values.length - 1])}, lowest ${format(lowest)}, highest ${format(highest)}.`;
  }).join(' ');
}

/** Room for the y axis's longest label ("2500 ms", "-20 %"), so none is cut at the left. */
function labelRoom(u, values) {
  const longest = Math.max(0, ...(values || []).map((value) => String(value).length));
  return Math.max(40, longest * 7 + 18);
}

/** The indexes of values whose neighbours are both missing; null when there are none. */
function isolated(values) {
  const indexes = values.flatMap((value, i) => (isNumber(value) && !isNumber(values[i - 1]) && !isNumber(values[i + 1]) ? [i] : []));
  return indexes.length ? indexes : null;
}

function isNumber(value) {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/**
 * Makes the uPlot chart once the container has a width (it may not be in the page yet), and sizes it to the
 * container after: the console is read at 1280 px and on phones. A container taken off the page frees its chart.
 */
function draw(container, { xs, series, format, time, xLabel, xTick }) {
  let plot = null;
  const observer = new ResizeObserver(() => {
    if (!container.isConnected) {
      observer.disconnect();
      plot?.destroy();
      plot = null;
      return;
    }
    const width = Math.floor(container.clientWidth);
    if (width <= 0) {
      return;
    }
    if (plot === null) {
      const few = xs.length <= 30;
      plot = new uPlot({
        width,
        height: HEIGHT,
        scales: { x: { time } },
        cursor: { points: { size: 7 } },
        legend: { live: true },
        axes: [
          { stroke: '#596173', grid: { stroke: '#e4e7ee' }, values: xTick ? (u, splits) => splits.map(xTick)
            : time ? undefined : (u, splits) => splits.map((value) => (Number.isInteger(value) ? xLabel(value) : '')) },
          { stroke: '#596173', grid: { stroke: '#e4e7ee' }, size: labelRoom, values: (u, splits) => splits.map(format) },
        ],
        series: [
          { label: time ? 'Time' : 'Decision', value: (u, value) => (value === null || value === undefined ? '—' : xLabel(value)) },
          ...series.map((line) => {
            const look = LOOKS[line.role] || LOOKS.shadow;
            return {
              label: line.name,
              stroke: look.stroke,
              dash: look.dash || undefined,
              width: 2,
              spanGaps: false,
              // A value between two gaps has no line to be on: it is drawn as a dot, however many points there are.
              points: { show: few, size: 5, fill: look.stroke, filter: (u, i, shown) => (shown ? null : isolated(line.values)) },
              value: (u, value) => (isNumber(value) ? format(value) : '—'),
            };
          }),
        ],
      }, [xs, ...series.map((line) => line.values.map((value) => (isNumber(value) ? value : null)))], container);
    }
    else if (plot.width !== width) {
      plot.setSize({ width, height: HEIGHT });
    }
  });
  observer.observe(container);
}

/**
 * Charts of a deployment's traffic (from GET …/traffic/history): request rate, error rate and p99 over time, a line
 * per version routed to now. An interval without requests has no error rate or p99, so those lines break there.
 */
export function trafficCharts(history) {
  const versions = (history && history.versions) || [];
  const xs = versions.length ? versions[0].points.map((point) => Date.parse(point.start) / 1000) : [];
  const lines = (value) => versions.map((version) => ({
    name: `v${version.version} ${version.role}`,
    role: version.role,
    values: version.points.map(value),
  }));
  const minutes = Math.round((Date.parse(history.to) - Date.parse(history.from)) / 60000);
  const step = history.stepSeconds >= 60 ? `${history.stepSeconds / 60} min` : `${history.stepSeconds} s`;
  const over = `last ${minutes >= 120 ? `${minutes / 60} hours` : `${minutes} minutes`}, per ${step}`;
  const rate = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)}/s`;
  const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  // At most a day: hours and minutes say where a tick is.
  const common = { xs, xTick: shortTime };
  return h('div', { class: 'charts traffic-charts', id: 'traffic-charts' },
    lineChart({ id: 'chart-traffic-rate', title: `Requests per second (${over})`, series: lines((point) => point.requestsPerSecond), format: rate, ...common }),
    lineChart({ id: 'chart-traffic-errors', title: `Error rate (${over})`, series: lines((point) => point.errorRate), format: percent, ...common }),
    lineChart({ id: 'chart-traffic-p99', title: `p99 latency (${over})`, series: lines((point) => point.p99Ms), format: ms, ...common }));
}

function errorRate(side) {
  return side && side.requests > 0 ? side.errors / side.requests : null;
}

/**
 * The canary's and the stable version's error rate and p99 at each decision that measured them, as two charts;
 * null when no decision has numbers.
 */
export function decisionCharts(decisions) {
  const measured = (decisions || []).filter((decision) => decision.canary || decision.stable);
  if (!measured.length) {
    return null;
  }
  const xs = measured.map((decision) => decision.seq);
  const pair = (value) => [
    { name: 'Canary', role: 'canary', values: measured.map((decision) => value(decision.canary)) },
    { name: 'Stable', role: 'stable', values: measured.map((decision) => value(decision.stable)) },
  ];
  const ms = (value) => `${Math.round(value)} ms`;
  const common = { time: false, xName: 'Decision' };
  return h('div', { class: 'charts', id: 'decision-charts' },
    lineChart({ id: 'chart-error-rate', title: 'Error rate per decision', xs, series: pair(errorRate), format: percent, ...common }),
    lineChart({ id: 'chart-p99', title: 'p99 latency per decision', xs, series: pair((side) => (side ? side.p99Ms : null)), format: ms, ...common }));
}

/**
 * The error budget left of each availability and latency objective over its window (from
 * GET …/slo-status/history), one chart per objective and a line per version; null when there are none.
 * A moment whose window held no request has no point.
 */
export function budgetCharts(history) {
  const objectives = (history && history.objectives) || [];
  if (!objectives.length) {
    return null;
  }
  const box = h('div', { class: 'charts', id: 'budget-charts' });
  objectives.forEach((objective, index) => {
    const title = `Error budget left, ${objective.name} (${objective.window} window)`;
    const series = objective.versions.map((version) => ({
      name: `v${version.version} ${version.role}`,
      role: version.role,
      values: version.points.map((point) => point.errorBudgetRemaining),
    }));
    let figure;
    if (series.every((line) => !line.values.some(isNumber))) {
      figure = h('figure', { class: 'chart-figure' }, h('figcaption', {}, `${title}: no request in any window yet.`));
    }
    else {
      const xs = objective.versions[0].points.map((point) => Date.parse(point.at) / 1000);
      figure = lineChart({ id: `chart-budget-${index}`, title, xs, series, xLabel: dayAndTime,
        format: (value) => `${(value * 100).toFixed(0)} %` });
    }
    figure.dataset.objective = objective.name;
    box.append(figure);
  });
  return box;
}
