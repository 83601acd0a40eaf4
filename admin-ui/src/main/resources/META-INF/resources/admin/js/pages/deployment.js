// One deployment: its spec and status, SLOs, the current or latest rollout with its decisions, the changes a
// person can make (canary weight, a rollout and its actions, a rollback), and its history.

import { call, get, segment } from '../api.js';
import { h, fill, table, definitions, field } from '../dom.js';
import { weight, share, burn, time, milliseconds, value, diff } from '../format.js';
import { showError, clearProblem, announce, confirmChange, changeTable, busy } from '../shell.js';
import * as summary from '../summaries.js';
import { may } from '../session.js';
import { sloEditor } from './slo-editor.js';
import { budgetCharts, decisionCharts, trafficCharts } from '../chart.js';

const REFRESH_MS = 3000;

/** The writable part of a deployment as GET shows it: what PUT takes back (it refuses unknown fields). */
function specOf(deployment) {
  return {
    model: deployment.model,
    pool: deployment.pool,
    stableVersion: deployment.stableVersion,
    canary: deployment.canary ?? null,
    shadow: deployment.shadow ?? null,
    stickyKey: deployment.stickyKey,
    timeoutMs: deployment.timeoutMs,
    batching: deployment.batching,
  };
}

/** A number field's value: null when empty (so the API applies its default or names the field), else a number. */
function number(input) {
  const text = input.value.trim();
  return text === '' ? null : Number(text);
}

function section(id, title, ...content) {
  return h('section', { id, class: 'panel', 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading` }, title), content);
}

/** How often the error budget's history is read again while the page is open. */
const BUDGET_REFRESH_MS = 60000;

/** How often the traffic charts are read again: the gateways count in 10-second buckets. */
const TRAFFIC_REFRESH_MS = 15000;

/** The windows the traffic charts offer, in minutes, and how many points each is drawn with. */
const TRAFFIC_WINDOWS = [[15, '15 minutes', 90], [60, '1 hour', 60], [360, '6 hours', 72], [1440, '24 hours', 96]];

export async function render(page) {
  const [name] = page.params;
  const base = `/api/v1/deployments/${segment(name)}`;
  document.title = `${name} · Deployments · Servinglayer console`;

  const specBody = h('div', {});
  const statusBody = h('div', {});
  const sloBody = h('div', {});
  const budgetBody = h('div', {});
  const trafficBody = h('div', {});
  const trafficWindow = h('select', { id: 'traffic-window', name: 'minutes' },
    TRAFFIC_WINDOWS.map(([minutes, label]) => h('option', { value: String(minutes) }, label)));
  trafficWindow.value = '60';
  trafficWindow.addEventListener('change', () => {
    state.trafficReadAt = 0;
    refresh();
  });
  const rolloutBody = h('div', {});
  const historyBody = h('div', {});
  const rollbackHint = h('p', { class: 'hint', id: 'rollback-hint' });
  // Changing the deployment, its rollouts and SLOs needs deploy or admin; others see it without the controls.
  const mayDeploy = may('deploy');
  const state = { deployment: null, etag: null, status: null, slo: null, rollout: null, history: [] };
  const shown = {};

  const load = async () => {
    const [deployment, status, slo, rollouts] = await Promise.all([
      call(base, { signal: page.signal }),
      get(`${base}/status`, { signal: page.signal }).catch(partFailed),
      get(`${base}/slo-status`, { signal: page.signal }).catch(partFailed),
      get(`${base}/rollouts?pageSize=1`, { signal: page.signal }).catch(partFailed),
    ]);
    state.deployment = deployment.data;
    state.etag = deployment.etag;
    state.status = status;
    state.slo = slo;
    state.rollout = rollouts.items ? rollouts.items[0] ?? null : null;
    state.rolloutProblem = rollouts.problem ?? null;
    // The budget's history reads a window of minutes per point: once a minute is enough for a chart, and
    // at once when the objectives change.
    const objectiveNames = JSON.stringify((slo.objectives || []).map((objective) => objective.name));
    if (objectiveNames !== state.budgetObjectives || Date.now() - state.budgetReadAt > BUDGET_REFRESH_MS) {
      state.budgetObjectives = objectiveNames;
      state.budget = await get(`${base}/slo-status/history`, { signal: page.signal }).catch(partFailed);
      state.budgetReadAt = Date.now();
    }
    if (shown.historyRevision !== state.deployment.revision) {
      state.history = await get(`${base}/history`, { signal: page.signal });
    }
    // The traffic is read every few buckets, and at once when the page sees the deployment or its rollout change
    // (a new canary weight, a step, a decision), so the charts show what the change did.
    const changed = JSON.stringify([state.deployment.revision, state.rollout?.id, state.rollout?.state,
      state.rollout?.currentStep, state.rollout?.decisions?.length, trafficWindow.value]);
    if (changed !== state.trafficChange || !(Date.now() - state.trafficReadAt < TRAFFIC_REFRESH_MS)) {
      const points = (TRAFFIC_WINDOWS.find(([minutes]) => String(minutes) === trafficWindow.value) || [])[2] || 60;
      state.traffic = await get(`${base}/traffic/history?minutes=${encodeURIComponent(trafficWindow.value)}&points=${points}`,
        { signal: page.signal }).catch(partFailed);
      state.trafficChange = changed;
      state.trafficReadAt = Date.now();
    }
  };

  /** Re-renders each part whose data changed; forms are left alone, so what a person types survives. */
  const paint = () => {
    prefillCanary();
    paintPart('spec', specBody, state.deployment, () => specView(state.deployment));
    paintPart('status', statusBody, state.status, () => statusView(state.status));
    paintPart('slo', sloBody, state.slo, () => sloView(state.slo));
    paintPart('budget', budgetBody, state.budget, () => budgetView(state.budget));
    paintPart('traffic', trafficBody, state.traffic, () => trafficView(state.traffic));
    paintPart('rollout', rolloutBody, [state.rollout, state.rolloutProblem], () => rolloutView(state.rollout, state.rolloutProblem, mayDeploy ? act : null));
    if (shown.historyRevision !== state.deployment.revision) {
      shown.historyRevision = state.deployment.revision;
      fill(historyBody, historyView(state.history));
      rollbackButton.disabled = state.history.length < 2;
      fill(rollbackHint, state.history.length < 2 ? 'There is no earlier state to return to.'
        : `Restores revision ${state.history[1].revision} as a new change.`);
    }
  };

  const paintPart = (key, element, data, view) => {
    const serialized = JSON.stringify(data, (k, v) => (k === 'observedAt' || k === 'announcedAt' ? undefined : v));
    if (shown[key] !== serialized) {
      shown[key] = serialized;
      // A chart's numbers someone opened stay open when the chart is drawn again.
      const open = [...element.querySelectorAll('figure[id] details[open]')].map((details) => details.closest('figure').id);
      fill(element, view());
      open.forEach((id) => element.querySelector(`figure[id="${id}"] details`)?.setAttribute('open', ''));
    }
  };

  const refresh = async () => {
    try {
      await load();
      if (!page.signal.aborted) {
        clearProblem('refresh');
        paint();
      }
    }
    catch (error) {
      if (!page.signal.aborted) {
        showError(error, 'refresh');
      }
    }
  };

  // --- Acting on the rollout ----------------------------------------------------------------------------
  const act = async (rollout, action) => {
    clearProblem('action');
    const what = {
      promote: [`Promote v${rollout.version} now?`, `v${rollout.version} becomes the stable version at once; the remaining steps are skipped. The old stable version stays loaded for a while, so a rollback finds it warm.`, 'Promote', false],
      pause: [`Pause rollout ${rollout.id}?`, `The canary stays at ${weight(rollout.currentWeight)} and nothing moves until you resume.`, 'Pause', false],
      resume: [`Resume rollout ${rollout.id}?`, 'The rollout goes on; the current step starts again.', 'Resume', false],
      abort: [`Abort rollout ${rollout.id}?`, `The rollout stops for good and v${rollout.version}'s weight is set to 0 at once.`, 'Abort rollout', true],
    }[action];
    const confirmed = await confirmChange({ title: what[0], body: h('p', {}, what[1]), confirmLabel: what[2], danger: what[3] });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    try {
      const answer = await call(`${base}/rollouts/${rollout.id}:${action}`, { method: 'POST' });
      announce(`Rollout ${rollout.id} is now ${answer.data.state}.`);
    }
    catch (error) {
      showError(error);
    }
    await refresh();
  };

  // --- Canary weight ---------------------------------------------------------------------------------------
  const canaryVersion = h('input', { id: 'canary-version', name: 'version', type: 'number', inputmode: 'numeric', min: '1', step: '1' });
  const canaryWeight = h('input', { id: 'canary-weight', name: 'weightBasisPoints', type: 'number', inputmode: 'numeric', min: '0', step: '1' });
  const weightReading = h('output', { for: 'canary-weight', id: 'canary-weight-reading' });
  const showWeight = () => {
    const bp = number(canaryWeight);
    fill(weightReading, bp === null || Number.isNaN(bp) ? '' : `= ${weight(bp)} of requests`);
  };
  canaryWeight.addEventListener('input', showWeight);
  // The form shows the deployment's canary, and follows it (a rollout's step, another person's change) until
  // someone edits a field.
  let prefilled = null;
  const prefillCanary = () => {
    const untouched = prefilled === null
      || (canaryVersion.value === prefilled.version && canaryWeight.value === prefilled.weight
        && document.activeElement !== canaryVersion && document.activeElement !== canaryWeight);
    if (untouched) {
      prefilled = { version: String(state.deployment.canary?.version ?? ''), weight: String(state.deployment.canary?.weightBasisPoints ?? '') };
      canaryVersion.value = prefilled.version;
      canaryWeight.value = prefilled.weight;
      showWeight();
    }
  };
  const canaryForm = h('form', { id: 'canary-form', novalidate: true },
    h('h3', {}, 'Set the canary'),
    h('div', { class: 'fields' },
      field('Canary version', canaryVersion, 'Leave empty to take the canary off.'),
      h('div', { class: 'field' }, h('label', { for: 'canary-weight' }, 'Weight (basis points)'), canaryWeight,
        h('small', { class: 'hint', id: 'canary-weight-hint' }, '100 = 1 %, 10000 = all requests. ', weightReading))),
    h('button', { type: 'submit', class: 'primary' }, 'Review change…'));
  canaryWeight.setAttribute('aria-describedby', 'canary-weight-hint');
  canaryForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem('action');
    let current;
    let spec;
    let change;
    try {
      await busy(canaryForm, async () => {
        // A fresh GET: the dry run and the PUT's If-Match are against the deployment as it is now.
        current = await call(base, { signal: page.signal });
        spec = specOf(current.data);
        const version = number(canaryVersion);
        spec.canary = version === null ? null : { version, weightBasisPoints: number(canaryWeight) };
        change = (await call(`${base}?dryRun=true`, { method: 'PUT', json: spec })).data;
      });
    }
    catch (error) {
      showError(error);
      return;
    }
    if (change.changes.length === 0) {
      announce(`Nothing to change: ${name} already has this canary.`);
      return;
    }
    const confirmed = await confirmChange({
      title: `Change ${name}?`,
      body: [h('p', {}, `The control plane's dry run of this change against revision ${current.data.revision}:`),
        changeTable(change.changes, 'What changes'),
        h('p', { class: 'hint' }, 'Applying it bumps the routing revision; gateways pick it up within seconds.')],
      confirmLabel: 'Apply change',
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    try {
      await busy(canaryForm, async () => {
        const applied = await call(base, { method: 'PUT', json: spec, headers: { 'If-Match': current.etag } });
        announce(`Applied: ${name} is at revision ${applied.data.revision}, canary ${summary.canary(applied.data)}.`);
        prefilled = null;
      });
    }
    catch (error) {
      showError(error);
    }
    await refresh();
  });

  // --- Starting a rollout ----------------------------------------------------------------------------------
  const rolloutVersion = h('input', { id: 'rollout-version', name: 'version', type: 'number', inputmode: 'numeric', min: '1', step: '1' });
  const rolloutSteps = h('input', { id: 'rollout-steps', name: 'steps', type: 'text', value: '100, 1000, 5000', autocomplete: 'off' });
  const rolloutInterval = h('input', { id: 'rollout-interval', name: 'stepIntervalSeconds', type: 'number', inputmode: 'numeric', min: '1', value: '60' });
  const rolloutMinRequests = h('input', { id: 'rollout-min-requests', name: 'minRequests', type: 'number', inputmode: 'numeric', min: '1', value: '100' });
  const rolloutMaxErrorRate = h('input', { id: 'rollout-max-error-rate', name: 'maxErrorRate', type: 'number', inputmode: 'decimal', min: '0', max: '1', step: 'any', value: '0.01' });
  const rolloutForm = h('form', { id: 'rollout-form', novalidate: true },
    h('h3', {}, 'Start a rollout'),
    h('p', { class: 'hint' }, 'The control plane moves the canary through the steps, judging it against the stable version at the end of each.'),
    h('div', { class: 'fields' },
      field('Version', rolloutVersion, 'A registered version other than the stable one.'),
      field('Steps (basis points)', rolloutSteps, 'Ascending weights, comma-separated: 100 = 1 %.'),
      field('Step interval (seconds)', rolloutInterval, '1 to 3600.'),
      field('Minimum canary requests per step', rolloutMinRequests),
      field('Largest canary error rate', rolloutMaxErrorRate, 'A share: 0.01 = 1 % of requests.')),
    h('button', { type: 'submit', class: 'primary' }, 'Review rollout…'));
  rolloutForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem('action');
    const request = {
      version: number(rolloutVersion),
      steps: rolloutSteps.value.split(/[\s,;]+/).filter(Boolean).map(Number),
      stepIntervalSeconds: number(rolloutInterval),
      analysis: { minRequests: number(rolloutMinRequests), maxErrorRate: number(rolloutMaxErrorRate) },
    };
    const confirmed = await confirmChange({
      title: `Start a rollout of v${value(request.version)} on ${name}?`,
      body: [definitions([
        ['Version', `v${value(request.version)} (stable is v${state.deployment.stableVersion})`],
        ['Steps', request.steps.map((step) => (Number.isFinite(step) ? weight(step) : value(step))).join(' → ')],
        ['Each step lasts', request.stepIntervalSeconds === null ? 'the default (60 s)' : `${request.stepIntervalSeconds} s`],
        ['Judged on', `at least ${value(request.analysis.minRequests ?? 100)} canary requests, error rate at most ${value(request.analysis.maxErrorRate ?? 0.01)}`],
      ]), h('p', { class: 'hint' }, 'The version goes on the deployment as a canary at weight 0 at once, so the instances start loading it.')],
      confirmLabel: 'Start rollout',
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    try {
      await busy(rolloutForm, async () => {
        const started = await call(`${base}/rollouts`, { method: 'POST', json: request });
        announce(`Rollout ${started.data.id} of v${started.data.version} started: ${started.data.state}.`);
      });
    }
    catch (error) {
      showError(error);
    }
    await refresh();
  });

  // --- Rollback ----------------------------------------------------------------------------------------------
  const rollbackButton = h('button', { type: 'button', id: 'rollback-button', class: 'danger', 'aria-describedby': 'rollback-hint' }, 'Roll back…');
  rollbackButton.addEventListener('click', async () => {
    clearProblem('action');
    const previous = state.history[1];
    if (!previous) {
      return;
    }
    const confirmed = await confirmChange({
      title: `Roll ${name} back to revision ${previous.revision}?`,
      body: [h('p', {}, `Restores the state ${name} had before revision ${state.deployment.revision}, as a new change:`),
        changeTable(diff(specOf(state.deployment), previous.spec), 'What changes')],
      confirmLabel: 'Roll back',
      danger: true,
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    try {
      const answer = await call(`${base}:rollback`, { method: 'POST', headers: { 'If-Match': state.etag } });
      announce(`Rolled back: ${name} is at revision ${answer.data.revision}.`);
    }
    catch (error) {
      showError(error);
    }
    await refresh();
  });

  const objectives = sloEditor(base, { editable: mayDeploy, signal: page.signal, onSaved: () => refresh() });
  await Promise.all([load(), objectives.load()]);
  const model = await get(`/api/v1/models/${segment(state.deployment.model)}`, { signal: page.signal }).catch(() => null);
  if (model && model.latestVersion && model.latestVersion !== state.deployment.stableVersion) {
    rolloutVersion.value = model.latestVersion;
  }

  fill(page.main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/' }, 'Overview'), ' › deployment'),
    h('h1', {}, `Deployment ${name}`),
    h('div', { class: 'columns' },
      section('spec', 'Spec', specBody),
      section('status', 'Status', statusBody)),
    section('traffic', 'Traffic per version',
      h('div', { class: 'field inline-field' }, h('label', { for: 'traffic-window' }, 'Window'), trafficWindow),
      trafficBody),
    section('slos', 'SLOs', sloBody, budgetBody, objectives.element),
    section('rollout', 'Rollout', rolloutBody),
    mayDeploy ? section('changes', 'Change it',
      h('div', { class: 'columns' }, canaryForm, rolloutForm),
      h('div', { class: 'rollback' }, h('h3', {}, 'Roll back'), rollbackHint, rollbackButton))
      : h('p', { id: 'read-only', class: 'hint' }, 'Your role lets you read this deployment, not change it: that needs the deploy or admin scope.'),
    section('history', 'History', historyBody));
  paint();
  page.every(REFRESH_MS, refresh);
}

function partFailed(error) {
  if (error.name === 'AbortError') {
    throw error;
  }
  return { problem: error.problem || { title: String(error.message) } };
}

function unavailable(problem) {
  return h('p', { class: 'muted' }, `Unavailable: ${problem.title}${problem.detail ? ' — ' + problem.detail : ''}`);
}

function specView(deployment) {
  return definitions([
    ['Model', h('a', { href: `#/models/${segment(deployment.model)}` }, deployment.model)],
    ['Stable version', `v${deployment.stableVersion}`],
    ['Canary', h('span', { id: 'spec-canary' }, summary.canary(deployment))],
    ['Shadow', summary.shadow(deployment)],
    ['Pool', deployment.pool],
    ['Sticky key', h('code', {}, deployment.stickyKey)],
    ['Timeout', `${deployment.timeoutMs} ms`],
    ['Batching', `up to ${deployment.batching.maxBatchSize} rows, waiting at most ${deployment.batching.maxQueueDelayMicros} µs`],
    ['Revision', h('span', { id: 'spec-revision' }, String(deployment.revision))],
    ['Last changed', [deployment.updatedBy, ', ', time(deployment.updatedAt)]],
  ]);
}

function statusView(status) {
  if (status.problem) {
    return unavailable(status.problem);
  }
  return [
    table({
      caption: 'Versions',
      columns: ['Version', 'Role', 'Warm', 'Loading', 'Failed', 'Why failed'],
      empty: 'No versions.',
      rows: status.versions.map((version) => [`v${version.version}`, version.role, version.warm, version.loading,
        version.failed, (version.failureReasons || []).join('; ') || '—']),
    }),
    table({
      caption: `Instances of pool ${status.pool}`,
      columns: ['Instance', 'Address', 'Announced', 'Versions'],
      empty: 'No instance of the pool has announced itself.',
      rows: status.instances.map((instance) => [h('code', {}, instance.instanceId), instance.baseUrl, time(instance.announcedAt),
        instance.versions.map((version) => `v${version.version} ${version.state}${version.reason ? ` (${version.reason})` : ''}`).join(', ') || '—']),
    }),
  ];
}

function budgetView(budget) {
  if (!budget) {
    return null;
  }
  if (budget.problem) {
    return unavailable(budget.problem);
  }
  return budgetCharts(budget);
}

function trafficView(traffic) {
  if (!traffic) {
    return null;
  }
  if (traffic.problem) {
    return unavailable(traffic.problem);
  }
  return [
    h('p', { class: 'hint', id: 'traffic-hint' }, 'From the gateways\' outcome counters, as the rollout and the SLOs read them. '
      + `p99 is estimated from their latency buckets (${traffic.latencyBoundsMs.join(', ')} ms), so it is only as fine as those bounds.`),
    trafficCharts(traffic),
  ];
}

function sloView(slo) {
  if (slo.problem) {
    return unavailable(slo.problem);
  }
  if (!slo.objectives.length) {
    return h('p', { class: 'muted' }, 'No SLOs yet, so no error budget to show.');
  }
  // One column per burn-rate window the control plane computes; a window without traffic has no rate.
  const windows = ['5m', '30m', '1h', '6h', '3d'];
  for (const objective of slo.objectives) {
    for (const version of objective.versions) {
      Object.keys(version.burnRates || {}).filter((window) => !windows.includes(window)).forEach((window) => windows.push(window));
    }
  }
  const rows = [];
  for (const objective of slo.objectives) {
    for (const version of objective.versions) {
      rows.push(h('tr', { dataset: { objective: objective.name, version: String(version.version) } },
        [objective.name, objective.sli, share(objective.objective, 2), objective.window,
          `v${version.version} ${version.role}`, version.requests.toLocaleString('en'),
          version.measured ? share(version.sli, 3) : 'by Prometheus', share(version.errorBudgetRemaining),
          ...windows.map((window) => burn((version.burnRates || {})[window]))].map((cell) => h('td', {}, cell))));
    }
  }
  return table({
    caption: 'Error budget and burn rates, per version routed to now',
    className: 'slo-status',
    columns: ['Objective', 'SLI', 'Target', 'Window', 'Version', 'Requests', 'Measured', 'Budget left',
      ...windows.map((window) => `Burn ${window}`)],
    empty: 'No version has been routed to yet.',
    rows,
  });
}

/** act(rollout, action) steers a running rollout; null when the person may not, and no buttons show. */
function rolloutView(rollout, problem, act) {
  if (problem) {
    return unavailable(problem);
  }
  if (!rollout) {
    return h('p', { class: 'muted' }, act ? 'No rollout yet. Start one below.' : 'No rollout yet.');
  }
  const running = !summary.FINAL_STATES.has(rollout.state);
  const actions = running && act ? (rollout.state === 'Paused' ? ['resume', 'promote', 'abort'] : ['pause', 'promote', 'abort']) : [];
  const labels = { pause: 'Pause…', resume: 'Resume…', promote: 'Promote now…', abort: 'Abort…' };
  const analysis = rollout.analysis || {};
  return [
    h('h3', {}, `Rollout ${rollout.id}: v${rollout.version} against stable v${rollout.stableVersion} `,
      h('span', { id: 'rollout-state' }, summary.stateBadge(rollout.state))),
    h('ol', { class: 'steps', 'aria-label': 'Steps' }, rollout.steps.map((step, i) => {
      const stage = rollout.state === 'Promoted' || i < rollout.currentStep ? 'done' : i === rollout.currentStep ? 'current' : 'todo';
      return h('li', { class: stage, 'aria-current': stage === 'current' ? 'step' : null }, weight(step),
        h('span', { class: 'visually-hidden' }, ` (${stage === 'todo' ? 'to come' : stage})`));
    })),
    definitions([
      ['Current weight', weight(rollout.currentWeight)],
      ['Step', rollout.currentStep >= 0 ? `${rollout.currentStep + 1} of ${rollout.steps.length}, started ${new Date(rollout.stepStartedAt).toLocaleTimeString()}`
        : running ? 'waiting for the canary to get warm' : 'none taken'],
      ['Each step', `${rollout.stepIntervalSeconds} s, at least ${analysis.minRequests} canary requests, error rate at most ${analysis.maxErrorRate}`
        + (analysis.maxP99Ms ? `, p99 at most ${analysis.maxP99Ms} ms` : '') + (analysis.maxP99RatioToStable ? `, p99 at most ${analysis.maxP99RatioToStable}× stable` : '')
        + (analysis.maxBurnRate ? `, burn at most ${analysis.maxBurnRate}×` : '')],
      ['Reason', rollout.reason || '—'],
      ['Started', [rollout.createdBy, ', ', time(rollout.createdAt)]],
      ['Ended', rollout.finishedAt ? time(rollout.finishedAt) : null],
    ]),
    actions.length ? h('div', { class: 'buttons', role: 'group', 'aria-label': 'Rollout actions' },
      actions.map((action) => h('button', { type: 'button', class: action === 'abort' ? 'danger' : null, dataset: { action },
        onclick: () => act(rollout, action) }, labels[action]))) : null,
    decisionCharts(rollout.decisions),
    table({
      caption: 'Decisions, oldest first',
      className: 'decisions',
      columns: ['#', 'When', 'Verdict', 'Step', 'Weight', 'Canary', 'Stable', 'Burn', 'Reason', 'By'],
      empty: 'No decisions yet.',
      rows: (rollout.decisions || []).map((decision) => h('tr', { dataset: { verdict: decision.verdict } },
        [decision.seq, time(decision.decidedAt), h('strong', {}, decision.verdict), decision.step >= 0 ? decision.step + 1 : '—',
          weight(decision.weight), side(decision.canary), side(decision.stable), burn(decision.burnRate), decision.reason || '—',
          decision.decidedBy].map((cell) => h('td', {}, cell)))),
    }),
  ];
}

/** One version's numbers over a decision's window: requests, errors and p99, each on its own line. */
function side(numbers) {
  if (!numbers) {
    return '—';
  }
  return h('ul', { class: 'plain numbers' },
    h('li', {}, `${numbers.requests.toLocaleString('en')} requests`),
    h('li', { class: numbers.errors ? 'bad' : null }, `${numbers.errors.toLocaleString('en')} errors`),
    h('li', {}, `p99 ${milliseconds(numbers.p99Ms)}`));
}

function historyView(history) {
  return table({
    caption: 'Every state the deployment had, newest first',
    columns: ['Revision', 'Routing revision', 'Changed by', 'When', 'What changed'],
    empty: 'No history.',
    rows: history.map((entry, i) => {
      const older = history[i + 1];
      const changes = older ? diff(older.spec, entry.spec) : null;
      return [String(entry.revision), String(entry.routingRevision), entry.changedBy, time(entry.changedAt),
        changes === null ? 'created'
          : changes.length === 0 ? 'nothing'
            : h('ul', { class: 'plain' }, changes.map((change) => h('li', {}, h('code', {}, change.field), ': ',
              value(change.before), ' → ', value(change.after))))];
    }),
  });
}
