// Short readings of a deployment's spec, status, SLO status and rollout, shared by the overview and the
// deployment page.

import { h } from './dom.js';
import { weight, share, burn } from './format.js';

/** Rollout states after which nothing moves by itself. */
export const FINAL_STATES = new Set(['Promoted', 'RolledBack', 'Aborted']);

/** "v2 at 10.00 %", or "none". */
export function canary(deployment) {
  const c = deployment.canary;
  return c && c.version ? `v${c.version} at ${weight(c.weightBasisPoints)}` : 'none';
}

/** "v3, 5 % of requests copied", or "none". */
export function shadow(deployment) {
  const s = deployment.shadow;
  return s && s.version ? `v${s.version}, ${s.percent} % of requests copied` : 'none';
}

/** One line per version of what the instances report: "v1 stable: 2 warm, 1 loading". */
export function warmth(status) {
  if (status.problem) {
    return h('span', { class: 'muted' }, `unavailable: ${status.problem.title}`);
  }
  if (!status.versions || status.versions.length === 0) {
    return h('span', { class: 'muted' }, 'no versions');
  }
  return h('ul', { class: 'plain' }, status.versions.map((version) => {
    const parts = [`${version.warm} warm`];
    if (version.loading) {
      parts.push(`${version.loading} loading`);
    }
    if (version.failed) {
      parts.push(`${version.failed} failed`);
    }
    const reasons = (version.failureReasons || []).join('; ');
    return h('li', { title: reasons || null, class: version.failed ? 'bad' : (version.warm ? null : 'muted') },
      `v${version.version} ${version.role}: ${parts.join(', ')}`);
  }));
}

/**
 * Per objective: the error budget left (the stable version's, over the objective's window) and the fastest
 * burn of any version over any window; "no SLOs" when the deployment has none.
 */
export function slo(status) {
  if (status.problem) {
    return h('span', { class: 'muted' }, `unavailable: ${status.problem.title}`);
  }
  if (!status.objectives || status.objectives.length === 0) {
    return h('span', { class: 'muted' }, 'no SLOs');
  }
  return h('ul', { class: 'plain' }, status.objectives.map((objective) => {
    const versions = objective.versions || [];
    if (versions.length && versions.every((version) => !version.measured)) {
      return h('li', {}, `${objective.name}: judged by Prometheus rules`);
    }
    const stable = versions.find((version) => version.role === 'stable') || versions[0];
    let fastest = null;
    for (const version of versions) {
      for (const [window, rate] of Object.entries(version.burnRates || {})) {
        if (fastest === null || rate > fastest.rate) {
          fastest = { rate, window, version: version.version };
        }
      }
    }
    const budget = stable && stable.errorBudgetRemaining !== null && stable.errorBudgetRemaining !== undefined
      ? `${share(stable.errorBudgetRemaining)} budget left` : 'no traffic yet';
    const burning = fastest ? ` · fastest burn ${burn(fastest.rate)} (${fastest.window}, v${fastest.version})` : '';
    const low = stable && stable.errorBudgetRemaining !== null && stable.errorBudgetRemaining < 0.25;
    return h('li', { class: low ? 'bad' : null }, `${objective.name}: ${budget}${burning}`);
  }));
}

/** "v2 Progressing, step 2 of 3 at 10.00 %" for a rollout that has not ended; null otherwise. */
export function runningRollout(rollout) {
  if (!rollout || FINAL_STATES.has(rollout.state)) {
    return null;
  }
  const step = rollout.currentStep >= 0 ? `, step ${rollout.currentStep + 1} of ${rollout.steps.length} at ${weight(rollout.currentWeight)}` : '';
  return `v${rollout.version} ${rollout.state}${step}`;
}

/** A rollout state as a badge a colour-blind reader can read too: the state's word is the badge. */
export function stateBadge(state) {
  const tone = { Promoted: 'good', RolledBack: 'bad', Aborted: 'bad', Paused: 'warn', Pending: 'info', Progressing: 'info' }[state] || 'info';
  return h('span', { class: `badge ${tone}`, dataset: { state } }, state);
}
