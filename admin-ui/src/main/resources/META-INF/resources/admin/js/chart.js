// Small line charts drawn as inline SVG, no library: a rollout's canary against its stable version, one point
// per decision that measured them, and an SLO's error budget over its window. Each chart is an image with a text alternative; the decisions table below
// it holds the same numbers.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const HEIGHT = 150;
const PAD = { left: 52, right: 10, top: 12, bottom: 26 };

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  children.flat().filter((child) => child !== null && child !== undefined)
    .forEach((child) => element.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return element;
}

/**
 * A line chart of series ([{name, className, points: [{x, y}]}]) over the decisions' sequence numbers.
 * format writes a y value for the axis and the text alternative.
 */
function lineChart({ id, title, series, format, xLabel = (value) => `#${value}`, pointLabel = (value) => `decision #${value}` }) {
  const all = series.flatMap((line) => line.points);
  const xs = all.map((point) => point.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const maxY = Math.max(...all.map((point) => point.y), 0) || 1;
  // Below zero only when a value is (an overspent error budget).
  const minY = Math.min(...all.map((point) => point.y), 0);
  const x = (value) => PAD.left + (maxX === minX ? (WIDTH - PAD.left - PAD.right) / 2
    : (value - minX) / (maxX - minX) * (WIDTH - PAD.left - PAD.right));
  const y = (value) => HEIGHT - PAD.bottom - (value - minY) / (maxY - minY) * (HEIGHT - PAD.top - PAD.bottom);
  const described = series.map((line) => `${line.name}: ${line.points.map((point) => `${xLabel(point.x)} ${format(point.y)}`).join(', ') || 'no data'}`).join('; ');
  return s('svg', { id, class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc` },
    s('title', { id: `${id}-title` }, title),
    s('desc', { id: `${id}-desc` }, described),
    // Axes: zero and the largest value, the first and the last decision.
    s('line', { class: 'axis', x1: PAD.left, y1: y(0), x2: WIDTH - PAD.right, y2: y(0) }),
    s('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: y(minY) }),
    s('text', { class: 'tick', x: PAD.left - 4, y: y(maxY) + 4, 'text-anchor': 'end' }, format(maxY)),
    s('text', { class: 'tick', x: PAD.left - 4, y: y(0) + 4, 'text-anchor': 'end' }, format(0)),
    minY < 0 ? s('text', { class: 'tick', x: PAD.left - 4, y: y(minY) + 4, 'text-anchor': 'end' }, format(minY)) : null,
    s('text', { class: 'tick', x: x(minX), y: HEIGHT - 8, 'text-anchor': 'middle' }, xLabel(minX)),
    maxX !== minX ? s('text', { class: 'tick', x: x(maxX), y: HEIGHT - 8, 'text-anchor': 'middle' }, xLabel(maxX)) : null,
    series.map((line) => s('g', { class: `series ${line.className}`, 'data-series': line.className },
      s('polyline', { points: line.points.map((point) => `${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ') }),
      line.points.map((point) => s('circle', { cx: x(point.x).toFixed(1), cy: y(point.y).toFixed(1), r: 3 },
        s('title', {}, `${line.name}, ${pointLabel(point.x)}: ${format(point.y)}`))))));
}

function errorRate(side) {
  return side && side.requests > 0 ? side.errors / side.requests : null;
}

/**
 * The canary's and the stable version's error rate and p99 at each decision that measured them, as two
 * charts with a legend; null when no decision has numbers.
 */
export function decisionCharts(decisions) {
  const measured = (decisions || []).filter((decision) => decision.canary || decision.stable);
  if (!measured.length) {
    return null;
  }
  const points = (side, value) => measured.map((decision) => ({ x: decision.seq, y: value(decision[side]) }))
    .filter((point) => point.y !== null && point.y !== undefined && Number.isFinite(point.y));
  const pair = (value) => [
    { name: 'Canary', className: 'canary', points: points('canary', value) },
    { name: 'Stable', className: 'stable', points: points('stable', value) },
  ];
  const percent = (value) => `${(value * 100).toFixed(value < 0.1 ? 2 : 1)} %`;
  const ms = (value) => `${Math.round(value)} ms`;
  const figure = (chart, caption) => {
    const wrapper = document.createElement('figure');
    wrapper.className = 'chart-figure';
    const label = document.createElement('figcaption');
    label.textContent = caption;
    wrapper.append(chart, label);
    return wrapper;
  };
  const legend = document.createElement('p');
  legend.className = 'chart-legend';
  for (const [className, name] of [['canary', 'Canary'], ['stable', 'Stable']]) {
    const key = document.createElement('span');
    key.className = `key ${className}`;
    legend.append(key, ` ${name} `);
  }
  const box = document.createElement('div');
  box.className = 'charts';
  box.id = 'decision-charts';
  box.append(legend,
    figure(lineChart({ id: 'chart-error-rate', title: 'Error rate per decision', series: pair(errorRate), format: percent }), 'Error rate per decision'),
    figure(lineChart({ id: 'chart-p99', title: 'p99 latency per decision', series: pair((side) => (side ? side.p99Ms : null)), format: ms }), 'p99 latency per decision'));
  return box;
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
  const box = document.createElement('div');
  box.className = 'charts';
  box.id = 'budget-charts';
  objectives.forEach((objective, index) => {
    const moments = objective.versions.length ? objective.versions[0].points.map((point) => point.at) : [];
    const when = (i) => (moments[i] ? new Date(moments[i]).toLocaleString('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '');
    const series = objective.versions.map((version) => ({
      name: `v${version.version} ${version.role}`,
      className: version.role === 'canary' ? 'canary' : 'stable',
      points: version.points.map((point, i) => ({ x: i, y: point.errorBudgetRemaining }))
        .filter((point) => point.y !== null && point.y !== undefined && Number.isFinite(point.y)),
    }));
    const title = `Error budget left, ${objective.name} (${objective.window} window)`;
    const wrapper = document.createElement('figure');
    wrapper.className = 'chart-figure';
    const caption = document.createElement('figcaption');
    if (series.every((line) => !line.points.length)) {
      caption.textContent = `${title}: no request in any window yet.`;
      wrapper.append(caption);
    }
    else {
      caption.textContent = title;
      wrapper.append(lineChart({ id: `chart-budget-${index}`, title, series, xLabel: when, pointLabel: when,
        format: (value) => `${(value * 100).toFixed(0)} %` }), caption);
    }
    wrapper.dataset.objective = objective.name;
    box.append(wrapper);
  });
  return box;
}
