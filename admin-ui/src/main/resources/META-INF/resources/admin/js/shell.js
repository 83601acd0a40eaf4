// What every page shares: the alert that shows an API problem, the status line, the confirmation dialog.

import { h, fill, table } from './dom.js';
import { value } from './format.js';

let alertCount = 0;

/**
 * Shows a problem document as a labelled alert under the header: its title, its detail, the fields it names,
 * and its status, type and request id. source tags it, so a later success of the same source can clear it (a
 * live refresh that recovers takes its own alert away, not an action's).
 */
export function showProblem(problem, source = 'action') {
  const alerts = document.getElementById('alerts');
  clearProblem(source);
  const id = `alert-${++alertCount}`;
  const kind = problem.type ? String(problem.type).split('/').pop() : null;
  const meta = [problem.status ? `HTTP ${problem.status}` : null, kind, problem.requestId ? `request ${problem.requestId}` : null]
    .filter(Boolean).join(' · ');
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  const alert = h('section', { class: 'alert', role: 'alert', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-detail`, dataset: { source } },
    h('h2', { id: `${id}-title`, class: 'alert-title' }, problem.title || 'Something went wrong'),
    h('p', { id: `${id}-detail`, class: 'alert-detail' }, problem.detail || ''),
    errors.length ? h('ul', { class: 'alert-errors' }, errors.map((error) => h('li', {}, h('code', {}, error.field), ': ', error.message))) : null,
    meta ? h('p', { class: 'alert-meta' }, meta) : null,
    problem.status === 401 ? h('p', {}, h('a', { href: '/login' }, 'Sign in again')) : null,
    h('button', { type: 'button', class: 'quiet alert-dismiss', onclick: () => alert.remove() }, 'Dismiss'));
  alerts.append(alert);
  return alert;
}

/** Removes the alerts of a source. */
export function clearProblem(source) {
  for (const alert of document.querySelectorAll(`#alerts .alert[data-source="${source}"]`)) {
    alert.remove();
  }
}

/** Shows what an error was: a ProblemError's problem, or anything else as a made-up one. */
export function showError(error, source = 'action') {
  if (error && error.name === 'AbortError') {
    return null;
  }
  if (error && error.problem) {
    return showProblem(error.problem, source);
  }
  console.error(error);
  return showProblem({ title: 'The console failed', detail: String(error && error.message ? error.message : error) }, source);
}

/** Says, politely, that something was done. */
export function announce(message) {
  const status = document.getElementById('status');
  fill(status, message ? h('p', {}, message) : null);
}

/**
 * Asks before a change: a modal <dialog> with a title, what will happen (body nodes) and Cancel (focused first)
 * and a confirm button. Resolves true when confirmed; Escape or Cancel resolve false.
 */
export function confirmChange({ title, body, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const titleId = `confirm-title-${++alertCount}`;
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId },
      h('form', { method: 'dialog' },
        h('h2', { id: titleId }, title),
        h('div', { class: 'confirm-body' }, body),
        h('div', { class: 'buttons' },
          h('button', { type: 'submit', value: 'cancel', class: 'quiet', autofocus: true }, 'Cancel'),
          h('button', { type: 'submit', value: 'confirm', class: danger ? 'danger' : 'primary' }, confirmLabel))));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** The changes a dry run or a client-side diff found, as a table of field, before and after. */
export function changeTable(changes, caption = 'Changes') {
  return table({
    caption,
    className: 'diff',
    columns: ['Field', 'Before', 'After'],
    empty: 'Nothing changes.',
    rows: changes.map((change) => [h('code', {}, change.field), h('span', { class: 'before' }, value(change.before)),
      h('span', { class: 'after' }, value(change.after))]),
  });
}

/** Disables a form's controls while an async action runs, so a second click sends nothing twice. */
export async function busy(form, action) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')].filter((control) => !control.disabled);
  form.setAttribute('aria-busy', 'true');
  controls.forEach((control) => { control.disabled = true; });
  try {
    return await action();
  }
  finally {
    controls.forEach((control) => { control.disabled = false; });
    form.removeAttribute('aria-busy');
  }
}
