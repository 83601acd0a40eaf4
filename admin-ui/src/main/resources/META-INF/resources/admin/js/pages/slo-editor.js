// A deployment's objectives as set (GET …/slos) and, for those who may change them, a form per objective:
// name, SLI, objective, window, and the threshold its SLI needs. Saving PUTs the whole list, with If-Match
// from the GET's ETag, or without for a deployment that has none yet. A 422 names each wrong field next to it.

import { call } from '../api.js';
import { h, fill, field, table } from '../dom.js';
import { share } from '../format.js';
import { showError, clearProblem, announce, busy } from '../shell.js';

const SLIS = ['availability', 'latency', 'freshness'];

/** Which extra field each SLI takes, as the API has it (docs/slos.md). */
const EXTRA = { latency: 'thresholdMs', freshness: 'maxAgeSeconds' };

let rowCount = 0;

/**
 * The objectives part of a deployment page. base is the deployment's API path; editable leaves the forms out
 * when false; onSaved runs after a save (to refresh the SLO status).
 */
export function sloEditor(base, { editable, signal, onSaved }) {
  const current = h('div', { id: 'slo-objectives' });
  const rows = h('div', { id: 'slo-rows' });
  const form = h('form', { id: 'slo-form', novalidate: true },
    h('h3', {}, 'Change the objectives'),
    h('p', { class: 'hint' }, 'Saving replaces the whole list. Latency takes a threshold of 25, 50, 100, 200, 500, 1000, 2500 or 5000 ms; freshness a maximum age in seconds.'),
    rows,
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'slo-add', class: 'quiet', onclick: () => rows.append(objectiveRow({})) }, 'Add an objective'),
      h('button', { type: 'submit', class: 'primary' }, 'Save objectives'),
      h('button', { type: 'button', id: 'slo-reload', class: 'quiet', onclick: () => load() }, 'Discard changes')));
  let etag = null;

  const load = async () => {
    let slos = null;
    try {
      const answer = await call(`${base}/slos`, { signal });
      slos = answer.data;
      etag = answer.etag;
    }
    catch (error) {
      if (error.status !== 404 || (error.problem.type && !String(error.problem.type).endsWith('slos-not-found'))) {
        throw error;
      }
      etag = null;
    }
    fill(current, currentView(slos));
    fill(rows, (slos?.objectives ?? []).map((objective) => objectiveRow(objective)));
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem('action');
    for (const message of rows.querySelectorAll('.field-error')) {
      message.remove();
    }
    for (const control of rows.querySelectorAll('[aria-invalid]')) {
      control.removeAttribute('aria-invalid');
    }
    const objectives = [...rows.querySelectorAll('fieldset')].map(readRow);
    try {
      await busy(form, async () => {
        const answer = await call(`${base}/slos`, { method: 'PUT', json: { objectives }, headers: etag ? { 'If-Match': etag } : {}, signal });
        announce(`Saved ${objectives.length} objective${objectives.length === 1 ? '' : 's'}: revision ${answer.data.revision}.`);
      });
      await load();
      onSaved?.();
    }
    catch (error) {
      showError(error);
      markFields(rows, error.problem?.errors);
    }
  });

  return { element: h('div', {}, current, editable ? form : null), load };
}

function currentView(slos) {
  if (!slos || !slos.objectives.length) {
    return h('p', { class: 'muted', id: 'slo-none' }, 'No objectives are set.');
  }
  return [
    table({
      caption: `Objectives as set (revision ${slos.revision}, by ${slos.updatedBy})`,
      columns: ['Name', 'SLI', 'Objective', 'Window', 'Threshold'],
      rows: slos.objectives.map((objective) => [objective.name, objective.sli, share(objective.objective, 2), objective.window,
        objective.thresholdMs != null ? `${objective.thresholdMs} ms` : objective.maxAgeSeconds != null ? `at most ${objective.maxAgeSeconds} s old` : '—']),
    }),
  ];
}

/** One objective's fields in a fieldset; the extra field shows for the SLI that takes it. */
function objectiveRow(objective) {
  const n = ++rowCount;
  const input = (name, attributes) => h('input', { id: `slo-${n}-${name}`, dataset: { field: name }, autocomplete: 'off', ...attributes });
  const name = input('name', { type: 'text', value: objective.name ?? '' });
  const sli = h('select', { id: `slo-${n}-sli`, dataset: { field: 'sli' } }, SLIS.map((option) => h('option', { value: option }, option)));
  sli.value = objective.sli ?? 'availability';
  const target = input('objective', { type: 'number', inputmode: 'decimal', step: 'any', min: '0.5', max: '1', value: objective.objective ?? '' });
  const window = input('window', { type: 'text', value: objective.window ?? '28d' });
  const threshold = input('thresholdMs', { type: 'number', inputmode: 'numeric', value: objective.thresholdMs ?? '' });
  const maxAge = input('maxAgeSeconds', { type: 'number', inputmode: 'numeric', value: objective.maxAgeSeconds ?? '' });
  const thresholdField = field('Threshold (ms)', threshold, 'Slower answers are bad.');
  const maxAgeField = field('Maximum age (s)', maxAge, 'Older feature rows are bad.');
  const showExtra = () => {
    thresholdField.hidden = sli.value !== 'latency';
    maxAgeField.hidden = sli.value !== 'freshness';
  };
  sli.addEventListener('change', showExtra);
  showExtra();
  const row = h('fieldset', { class: 'slo-row', dataset: { row: String(n) } },
    h('legend', {}, objective.name ? `Objective ${objective.name}` : 'New objective'),
    h('div', { class: 'fields' },
      field('Name', name, 'Lower-case letters, digits and -.'),
      field('SLI', sli),
      field('Objective', target, 'A share of good events: 0.999 = 99.9 %.'),
      field('Window', window, 'Such as 28d or 12h.'),
      thresholdField,
      maxAgeField),
    h('button', { type: 'button', class: 'quiet', onclick: () => row.remove() }, 'Remove this objective'));
  return row;
}

function readRow(row) {
  const value = (name) => row.querySelector(`[data-field="${name}"]`).value.trim();
  const number = (name) => (value(name) === '' ? null : Number(value(name)));
  const objective = { name: value('name'), sli: value('sli'), objective: number('objective'), window: value('window') };
  const extra = EXTRA[objective.sli];
  if (extra) {
    objective[extra] = number(extra);
  }
  return objective;
}

/** Puts each error of a 422 (objectives[i].field) under the field it names. */
function markFields(rows, errors) {
  if (!Array.isArray(errors)) {
    return;
  }
  const fieldsets = [...rows.querySelectorAll('fieldset')];
  for (const error of errors) {
    const match = /^objectives\[(\d+)\]\.(\w+)/.exec(error.field || '');
    const control = match ? fieldsets[Number(match[1])]?.querySelector(`[data-field="${match[2]}"]`) : null;
    if (control) {
      const id = `${control.id}-error`;
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
      control.closest('.field').append(h('small', { id, class: 'field-error' }, error.message));
    }
  }
}
