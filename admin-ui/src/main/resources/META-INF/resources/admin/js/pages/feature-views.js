// Feature views: the list, and one view's versions with their schema, the model versions bound to each, and what
// the inference instances measured reading its online rows (cache hit ratio, age of the rows read), refreshed
// while the page is open.

import { get, segment } from '../api.js';
import { h, fill, table, definitions } from '../dom.js';
import { time, share, value } from '../format.js';
import { showError, clearProblem } from '../shell.js';

const REFRESH_MS = 5000;

export async function renderList(page) {
  document.title = 'Feature views · Servinglayer console';
  const views = [];
  let token = null;
  do {
    const query = new URLSearchParams({ pageSize: '100' });
    if (token) {
      query.set('pageToken', token);
    }
    const answer = await get(`/api/v1/feature-views?${query}`, { signal: page.signal });
    views.push(...answer.items);
    token = answer.nextPageToken;
  } while (token && views.length < 1000);
  fill(page.main,
    h('h1', {}, 'Feature views'),
    h('p', { class: 'lede' }, 'The online features kept per entity, each view at its newest version. Open one to see which model versions read it, and how fresh and how well cached its rows are.'),
    table({
      caption: 'Feature views, by name',
      className: 'feature-views',
      columns: ['View', 'Newest version', 'Entity key', 'Features', 'Max age', 'Created'],
      empty: 'No feature views yet. Create one with POST /api/v1/feature-views.',
      rows: views.map((view) => h('tr', { dataset: { view: view.name } },
        [h('a', { href: `#/feature-views/${segment(view.name)}` }, view.name), `v${view.version}`,
          view.entityKeys.join(', '), view.features.length, seconds(view.maxAgeSeconds),
          [view.createdBy, ', ', time(view.createdAt)]].map((cell) => h('td', {}, cell)))),
    }));
}

export async function renderView(page) {
  const [name] = page.params;
  document.title = `Feature view ${name} · Servinglayer console`;
  const base = `/api/v1/feature-views/${segment(name)}`;
  const versions = await get(`${base}/versions`, { signal: page.signal });
  const observed = h('span', {}, '…');
  const usage = new Map(versions.map((view) => [view.version, h('div', { id: `usage-${view.version}` }, h('p', { class: 'muted' }, 'Reading the instances…'))]));

  const showStatus = (status) => {
    fill(observed, time(status.observedAt));
    for (const version of status.versions) {
      const target = usage.get(version.version);
      if (target) {
        fill(target, usageOf(version));
      }
    }
  };
  const refresh = async () => {
    try {
      const status = await get(`${base}/status`, { signal: page.signal });
      clearProblem('refresh');
      showStatus(status);
    }
    catch (error) {
      if (!page.signal.aborted) {
        showError(error, 'refresh');
      }
    }
  };

  fill(page.main,
    h('h1', {}, `Feature view ${name}`),
    h('p', { class: 'lede' }, 'Newest version first. What the instances measured is refreshed every ', REFRESH_MS / 1000,
      ' seconds; last read at ', observed, '.'),
    [...versions].reverse().map((view) => h('section', { class: 'panel', id: `version-${view.version}`, 'aria-labelledby': `version-${view.version}-heading` },
      h('h2', { id: `version-${view.version}-heading` }, `Version ${view.version}`),
      view.description ? h('p', {}, view.description) : null,
      definitions([
        ['Entity key', h('code', { class: 'entity-key' }, view.entityKeys.join(', '))],
        ['Max age (TTL)', h('span', { class: 'max-age' }, seconds(view.maxAgeSeconds))],
        ['Row missing', policy(view.onMissing)],
        ['Row older than the max age', policy(view.onStale)],
        ['Created', [view.createdBy, ', ', time(view.createdAt)]],
      ]),
      table({
        caption: `Features of version ${view.version}`,
        className: 'features',
        columns: ['Feature', 'Type', 'Default'],
        rows: view.features.map((feature) => [h('code', {}, feature.name), feature.dtype,
          feature.defaultValue === undefined ? h('span', { class: 'muted' }, 'none') : value(feature.defaultValue)]),
      }),
      usage.get(view.version))));
  // A view whose status cannot be read still shows its schema; the alert says why the rest is missing.
  await refresh();
  page.every(REFRESH_MS, refresh);
}

/** The model versions bound to a view version, and what the live instances measured reading it. */
function usageOf(version) {
  const readings = version.readings;
  return [
    h('h3', {}, 'Bound to'),
    version.boundBy.length === 0
      ? h('p', { class: 'muted bound-by' }, 'No model version reads this version.')
      : h('ul', { class: 'bound-by' }, version.boundBy.map((binding) => h('li', {},
        h('a', { href: `#/models/${segment(binding.model)}` }, `${binding.model} v${binding.modelVersion}`),
        binding.deployments.length
          ? [', routed by ', binding.deployments.map((deployment, i) => [i ? ', ' : '', h('a', { href: `#/deployments/${segment(deployment)}` }, deployment)])]
          : h('span', { class: 'muted' }, ', routed by no deployment')))),
    h('h3', {}, 'Online rows as the instances read them'),
    definitions([
      ['Cache hit ratio', h('span', { class: 'hit-ratio' }, readings.cacheHitRatio === null ? 'no lookups yet'
        : `${share(readings.cacheHitRatio)} (${readings.cacheHits.toLocaleString('en')} hits, ${readings.cacheMisses.toLocaleString('en')} misses)`)],
      ['Rows read', h('span', { class: 'rows-read' }, readings.rowsRead.toLocaleString('en'))],
      ['Mean age when read', h('span', { class: 'mean-age' }, readings.meanRowAgeSeconds === null ? '—' : seconds(readings.meanRowAgeSeconds))],
      ['Oldest row just now', h('span', { class: 'oldest-age' }, readings.oldestRowAgeSeconds === null ? 'none read' : seconds(readings.oldestRowAgeSeconds))],
    ]),
    h('p', { class: 'hint' }, 'Counted from each instance\'s start; "just now" is since each instance\'s last announcement (a few seconds).'),
    table({
      caption: `Instances reading version ${version.version}`,
      className: 'instances',
      columns: ['Instance', 'Pool', 'Hit ratio', 'Rows read', 'Mean age', 'Announced'],
      empty: 'No live instance has read this version.',
      rows: version.instances.map((instance) => [h('code', {}, instance.instanceId), instance.pool,
        instance.readings.cacheHitRatio === null ? '—' : share(instance.readings.cacheHitRatio),
        instance.readings.rowsRead.toLocaleString('en'),
        instance.readings.meanRowAgeSeconds === null ? '—' : seconds(instance.readings.meanRowAgeSeconds),
        instance.announcedAt ? time(instance.announcedAt) : '—']),
    }),
  ];
}

function policy(name) {
  return {
    reject: 'refuse the request (422)',
    defaults: 'use the features\' defaults',
    'serve-stale': 'use the row anyway',
  }[name] || name;
}

/** A duration in seconds, in the largest unit that reads well: "45 s", "10 min", "2.5 h", "3 d". */
function seconds(total) {
  if (total === null || total === undefined) {
    return '—';
  }
  const units = [[86400, 'd'], [3600, 'h'], [60, 'min']];
  for (const [size, unit] of units) {
    if (total >= size) {
      const amount = total / size;
      return `${Number.isInteger(amount) ? amount : amount.toFixed(1)} ${unit}`;
    }
  }
  return `${Number.isInteger(total) ? total : total.toFixed(1)} s`;
}
