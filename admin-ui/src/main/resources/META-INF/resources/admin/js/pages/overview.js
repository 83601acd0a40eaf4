// Overview: every deployment with its versions and weights, warm instances, SLO status and running rollout,
// kept live without reloading the page: a routing change (weights, versions, a rollout's step) shows at once,
// through a long-poll on the routing snapshot; what the instances measure is read again every few seconds.

import { call, get, segment } from '../api.js';
import { h, fill } from '../dom.js';
import { time } from '../format.js';
import { showError, clearProblem } from '../shell.js';
import * as summary from '../summaries.js';

/** How often what is measured (warm instances, SLO status) is read again; routing changes come at once. */
const REFRESH_MS = 15000;

export async function render(page) {
  document.title = 'Overview · Servinglayer console';
  const updated = h('span', {}, '…');
  const body = h('tbody', {});
  fill(page.main,
    h('h1', {}, 'Overview'),
    h('p', { class: 'lede' }, 'Every deployment, with what the inference instances report. Routing changes show at',
      ' once; measurements are read every ', REFRESH_MS / 1000, ' seconds; last at ', updated, '.'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Deployments' },
      h('table', { id: 'deployments' },
        h('caption', {}, 'Deployments'),
        h('thead', {}, h('tr', {}, ['Deployment', 'Model', 'Stable', 'Canary', 'Shadow', 'Warm instances', 'SLOs', 'Rollout']
          .map((column) => h('th', { scope: 'col' }, column)))),
        body)));
  const rows = new Map();

  const refresh = async () => {
    try {
      const deployments = await allDeployments(page.signal);
      const details = await Promise.all(deployments.map((deployment) => detailsOf(deployment, page.signal)));
      if (page.signal.aborted) {
        return;
      }
      clearProblem('refresh');
      show(body, rows, details);
      fill(updated, time(new Date().toISOString()));
    }
    catch (error) {
      if (!page.signal.aborted) {
        showError(error, 'refresh');
      }
    }
  };
  // The first load reports failures as the page's; later ones as the refresh's, and the page stays.
  const deployments = await allDeployments(page.signal);
  const details = await Promise.all(deployments.map((deployment) => detailsOf(deployment, page.signal)));
  show(body, rows, details);
  fill(updated, time(new Date().toISOString()));
  page.every(REFRESH_MS, refresh);
  followRouting(page, refresh);
}

/**
 * Waits on the routing snapshot with ?after= (the control plane answers when the revision moves, or 304 after
 * 30 s) and refreshes the table on each new revision. A refusal (too many waiters, no answer) is retried after
 * the measured refresh's interval, which keeps the page current meanwhile and reports the failure.
 */
async function followRouting(page, refresh) {
  let revision = null;
  while (!page.signal.aborted) {
    try {
      const query = (revision === null) ? '' : `?after=${revision}`;
      const next = (await call(`/api/v1/routing${query}`, { signal: page.signal })).data.revision;
      if (revision !== null && next !== revision && !document.hidden) {
        await refresh();
      }
      revision = next;
    }
    catch (error) {
      if (page.signal.aborted || error.name === 'AbortError') {
        return;
      }
      if (!(error.problem && error.problem.status === 304)) {
        await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
      }
    }
  }
}

async function allDeployments(signal) {
  const deployments = [];
  let token = null;
  do {
    const query = new URLSearchParams({ pageSize: '100' });
    if (token) {
      query.set('pageToken', token);
    }
    const page = await get(`/api/v1/deployments?${query}`, { signal });
    deployments.push(...page.items);
    token = page.nextPageToken;
  } while (token && deployments.length < 1000);
  return deployments;
}

/** The deployment with its status, SLO status and latest rollout; a part that fails says so in its cell. */
async function detailsOf(deployment, signal) {
  const base = `/api/v1/deployments/${segment(deployment.name)}`;
  const part = (path) => get(base + path, { signal }).catch((error) => {
    if (error.name === 'AbortError') {
      throw error;
    }
    return { problem: error.problem || { title: String(error.message) } };
  });
  const [status, slo, rollouts] = await Promise.all([part('/status'), part('/slo-status'), part('/rollouts?pageSize=1')]);
  return { deployment, status, slo, rollout: rollouts.items ? rollouts.items[0] : null, rolloutProblem: rollouts.problem };
}

/** Updates the rows in place, each only when its data changed, so focus and selection survive a refresh. */
function show(body, rows, details) {
  if (details.length === 0) {
    rows.clear();
    fill(body, h('tr', {}, h('td', { colspan: 8, class: 'muted' },
      'No deployments yet. Create one with PUT /api/v1/deployments/{name} (see the admin API reference).')));
    return;
  }
  const next = new Map();
  for (const detail of details) {
    const name = detail.deployment.name;
    // observedAt and the instances' heartbeats change on every read; the rest changes when something happened.
    const key = JSON.stringify({ ...detail, status: { ...detail.status, observedAt: null, instances: null },
      slo: { ...detail.slo, observedAt: null } });
    const row = rows.get(name);
    next.set(name, row && row.key === key ? row : { key, element: rowOf(detail) });
  }
  const sameNames = rows.size === next.size && [...rows.keys()].every((name, i) => [...next.keys()][i] === name)
    && body.children.length === rows.size;
  if (sameNames) {
    // Only the rows that changed are swapped, so a focused link in another row keeps its focus.
    next.forEach((row, name) => {
      const old = rows.get(name);
      if (old.element !== row.element) {
        old.element.replaceWith(row.element);
      }
    });
  }
  else {
    body.replaceChildren(...[...next.values()].map((row) => row.element));
  }
  rows.clear();
  next.forEach((row, name) => rows.set(name, row));
}

function rowOf({ deployment, status, slo, rollout, rolloutProblem }) {
  const running = summary.runningRollout(rollout);
  const href = `#/deployments/${segment(deployment.name)}`;
  return h('tr', { dataset: { deployment: deployment.name } },
    h('th', { scope: 'row' }, h('a', { href }, deployment.name)),
    h('td', {}, h('a', { href: `#/models/${segment(deployment.model)}` }, deployment.model)),
    h('td', { class: 'stable' }, `v${deployment.stableVersion}`),
    h('td', { class: 'canary' }, summary.canary(deployment)),
    h('td', { class: 'shadow' }, summary.shadow(deployment)),
    h('td', { class: 'warmth' }, summary.warmth(status)),
    h('td', { class: 'slo' }, summary.slo(slo)),
    h('td', { class: 'rollout' }, rolloutProblem ? h('span', { class: 'muted' }, `unavailable: ${rolloutProblem.title}`)
      : running ? h('a', { href }, running) : h('span', { class: 'muted' }, 'none running')));
}
