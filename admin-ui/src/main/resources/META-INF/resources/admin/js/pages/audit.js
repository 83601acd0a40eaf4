// Audit log: every change, newest first, filtered by the API's own parameters. The filters live in the
// address (#/audit?actor=…), so a filtered view can be shared and survives a reload.

import { get } from '../api.js';
import { h, fill, field } from '../dom.js';
import { time, value } from '../format.js';
import { showError, busy } from '../shell.js';

const FILTERS = [
  ['actor', 'Actor', 'text', 'A user or client id, such as admin or ci.'],
  ['action', 'Action', 'text', 'Such as deployment.updated or rollout.aborted.'],
  ['targetType', 'Target type', 'text', 'Such as deployment, model, model-version, client.'],
  ['target', 'Target', 'text', 'The name of the thing changed.'],
  ['since', 'Since', 'datetime-local', 'Local time.'],
  ['until', 'Until', 'datetime-local', 'Local time.'],
];

/** A datetime-local value ("2026-11-28T10:00") read as local time, as the ISO instant the API takes. */
function instant(local) {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** The reverse, for showing an ISO instant from the address in a datetime-local input. */
function local(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export async function render(page) {
  document.title = 'Audit log · Servinglayer console';
  const inputs = {};
  const form = h('form', { id: 'audit-filters', class: 'filters', role: 'search', 'aria-label': 'Audit filters', novalidate: true },
    h('div', { class: 'fields' }, FILTERS.map(([name, label, type, hint]) => {
      const input = h('input', { id: `audit-${name}`, name, type, autocomplete: 'off' });
      const given = page.query.get(name);
      if (given) {
        input.value = type === 'datetime-local' ? local(given) : given;
      }
      inputs[name] = input;
      return field(label, input, hint);
    })),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, 'Filter'),
      h('a', { href: '#/audit', class: 'button quiet' }, 'Clear filters')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, , type] of FILTERS) {
      const text = inputs[name].value.trim();
      if (text) {
        query.set(name, type === 'datetime-local' ? instant(text) : text);
      }
    }
    const hash = `#/audit${query.toString() ? `?${query}` : ''}`;
    if (location.hash === hash) {
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    }
    else {
      location.hash = hash;
    }
  });

  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'quiet', id: 'more-events' }, 'Show older events');
  let token = null;
  let count = 0;
  const load = async () => {
    const query = new URLSearchParams();
    for (const [name] of FILTERS) {
      if (page.query.get(name)) {
        query.set(name, page.query.get(name));
      }
    }
    query.set('pageSize', '50');
    if (token) {
      query.set('pageToken', token);
    }
    const answer = await get(`/api/v1/audit?${query}`, { signal: page.signal });
    if (count === 0 && answer.items.length === 0) {
      fill(body, h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No events match.')));
    }
    for (const event of answer.items) {
      body.append(row(event));
    }
    count += answer.items.length;
    token = answer.nextPageToken;
    more.hidden = !token;
  };
  more.addEventListener('click', async () => {
    try {
      await busy(more.parentElement, load);
    }
    catch (error) {
      showError(error);
    }
  });

  await load();
  const filtered = FILTERS.some(([name]) => page.query.get(name));
  fill(page.main,
    h('h1', {}, 'Audit log'),
    h('p', { class: 'lede' }, 'Every change to the control plane, newest first: who did it, to what, and what it looked like before and after.'),
    form,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit events' },
      h('table', { id: 'audit-events' },
        h('caption', {}, filtered ? 'Matching events' : 'Events'),
        h('thead', {}, h('tr', {}, ['When', 'Actor', 'Action', 'Target', 'Change', 'Request'].map((column) => h('th', { scope: 'col' }, column)))),
        body)),
    h('div', {}, more));
}

function row(event) {
  const change = event.before || event.after
    ? h('details', {}, h('summary', {}, 'Before and after'),
      h('div', { class: 'before-after' },
        h('div', {}, h('h3', {}, 'Before'), h('pre', {}, event.before ? JSON.stringify(event.before, null, 2) : '—')),
        h('div', {}, h('h3', {}, 'After'), h('pre', {}, event.after ? JSON.stringify(event.after, null, 2) : '—'))))
    : '—';
  return h('tr', { dataset: { action: event.action } },
    h('td', {}, time(event.occurredAt)),
    h('td', {}, event.actor),
    h('td', {}, h('code', {}, event.action)),
    h('td', {}, `${event.targetType} `, h('strong', {}, value(event.target))),
    h('td', {}, change),
    h('td', {}, event.requestId ? h('code', {}, event.requestId) : '—'));
}
