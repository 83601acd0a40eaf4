// API clients (admin only): the list, creating one (its secret shown once), rotating a secret, disabling and
// enabling, and editing the rate plan. The secret lives only in this page's DOM: nothing stores it, so a
// reload or another page shows it no more.

import { call, get, segment } from '../api.js';
import { h, fill, table, field } from '../dom.js';
import { time } from '../format.js';
import { showError, clearProblem, announce, confirmChange, busy } from '../shell.js';

export async function render(page) {
  document.title = 'Clients · Servinglayer console';
  const listBody = h('div', { id: 'clients-list' });
  const secretBox = h('div', { id: 'client-secret-box' });

  const showList = async () => {
    const answer = await get('/api/v1/clients?pageSize=500', { signal: page.signal });
    fill(listBody,
      table({
        caption: 'Clients by id',
        className: 'clients',
        columns: ['Client', 'Tenant', 'Scopes', 'Rate plan', 'State', 'Created', 'Actions'],
        empty: 'No clients.',
        rows: answer.items.map((client) => h('tr', { dataset: { client: client.clientId } },
          [h('span', {}, h('code', {}, client.clientId), client.description ? h('small', { class: 'hint' }, ` ${client.description}`) : null),
            client.tenant, client.scopes.join(' '), h('span', { class: 'rate-plan' }, ratePlan(client.ratePlan)), state(client),
            [client.createdBy, ', ', time(client.createdAt)], actions(client)].map((cell) => h('td', {}, cell)))),
      }),
      answer.nextPageToken ? h('p', { class: 'hint' }, 'Showing the first 500 clients; the API lists the rest.') : null);
  };

  /** Shows a secret once, with a copy button; a headless or older browser without a clipboard selects it. */
  const showSecret = (credentials, what) => {
    const secret = h('input', { id: 'client-secret-value', type: 'text', readonly: true, value: credentials.clientSecret, spellcheck: 'false', autocomplete: 'off' });
    const copied = h('span', { id: 'client-secret-copied', class: 'hint', role: 'status' });
    const copy = async () => {
      try {
        if (!navigator.clipboard || !window.isSecureContext) {
          throw new Error('no clipboard');
        }
        await navigator.clipboard.writeText(credentials.clientSecret);
        fill(copied, 'Copied.');
      }
      catch {
        secret.focus();
        secret.select();
        fill(copied, 'Selected: press Ctrl+C (⌘C) to copy it.');
      }
    };
    fill(secretBox, h('section', { class: 'panel secret', 'aria-labelledby': 'client-secret-heading' },
      h('h2', { id: 'client-secret-heading' }, `${what} for ${credentials.clientId}`),
      h('p', {}, h('strong', {}, 'Shown this once.'), ' Store it now: the control plane keeps only its hash, and this page forgets it when you leave or reload.'),
      credentials.previousSecretExpiresAt ? h('p', { class: 'hint' }, `The old secret keeps working until ${time(credentials.previousSecretExpiresAt)}.`) : null,
      h('div', { class: 'secret-row' }, field('Client secret', secret),
        h('button', { type: 'button', id: 'client-secret-copy', onclick: copy }, 'Copy'),
        h('button', { type: 'button', class: 'quiet', onclick: () => fill(secretBox) }, 'I have stored it')),
      copied));
    secret.focus();
    secret.select();
  };

  const act = async (client, action) => {
    clearProblem('action');
    const what = {
      'rotate-secret': [`Give ${client.clientId} a new secret?`, 'The new secret is shown once. The old one keeps working for a grace period, so the client can switch over.', 'Rotate secret', false],
      disable: [`Disable ${client.clientId}?`, 'Its token requests fail at once; tokens already issued live out their 10 minutes. Gateways stop taking its requests within seconds.', 'Disable client', true],
      enable: [`Enable ${client.clientId}?`, 'It can get tokens again.', 'Enable client', false],
    }[action];
    if (!await confirmChange({ title: what[0], body: h('p', {}, what[1]), confirmLabel: what[2], danger: what[3] })) {
      announce('Nothing changed.');
      return;
    }
    try {
      const answer = await call(`/api/v1/clients/${segment(client.clientId)}:${action}`, { method: 'POST' });
      if (action === 'rotate-secret') {
        showSecret(answer.data, 'A new secret');
      }
      announce(action === 'rotate-secret' ? `${client.clientId} has a new secret.` : `${client.clientId} is ${action}d.`);
    }
    catch (error) {
      showError(error);
    }
    await showList().catch((error) => showError(error));
  };

  const editRatePlan = async (client) => {
    clearProblem('action');
    const plan = client.ratePlan || {};
    const rps = h('input', { id: 'edit-rps', type: 'number', inputmode: 'decimal', step: 'any', min: '0', value: plan.requestsPerSecond ?? '' });
    const burst = h('input', { id: 'edit-burst', type: 'number', inputmode: 'numeric', min: '1', value: plan.burst ?? '' });
    const quota = h('input', { id: 'edit-quota', type: 'number', inputmode: 'numeric', min: '1', value: plan.dailyQuota ?? '' });
    const confirmed = await confirmChange({
      title: `Rate plan of ${client.clientId}`,
      body: [h('p', {}, 'What the gateways enforce for this client, from the next routing revision on (seconds).'),
        h('div', { class: 'fields' }, field('Requests per second', rps), field('Burst', burst, 'At least the requests per second.'),
          field('Daily quota', quota, 'Empty for none.'))],
      confirmLabel: 'Save rate plan',
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    const number = (input) => (input.value.trim() === '' ? null : Number(input.value.trim()));
    try {
      // A fresh GET for the ETag the PATCH needs in If-Match.
      const current = await call(`/api/v1/clients/${segment(client.clientId)}`, { signal: page.signal });
      const answer = await call(`/api/v1/clients/${segment(client.clientId)}`, { method: 'PATCH',
        json: { ratePlan: { requestsPerSecond: number(rps), burst: number(burst), dailyQuota: number(quota) } },
        headers: { 'If-Match': current.etag } });
      announce(`${client.clientId}'s rate plan is now ${ratePlan(answer.data.ratePlan)}.`);
    }
    catch (error) {
      showError(error);
    }
    await showList().catch((error) => showError(error));
  };

  const actions = (client) => h('div', { class: 'buttons', role: 'group', 'aria-label': `Actions on ${client.clientId}` },
    h('button', { type: 'button', class: 'quiet', dataset: { action: 'rate-plan' }, onclick: () => editRatePlan(client) }, 'Rate plan…'),
    h('button', { type: 'button', class: 'quiet', dataset: { action: 'rotate-secret' }, onclick: () => act(client, 'rotate-secret') }, 'Rotate secret…'),
    client.disabled
      ? h('button', { type: 'button', class: 'quiet', dataset: { action: 'enable' }, onclick: () => act(client, 'enable') }, 'Enable…')
      : h('button', { type: 'button', class: 'danger', dataset: { action: 'disable' }, onclick: () => act(client, 'disable') }, 'Disable…'));

  // --- Create ------------------------------------------------------------------------------------------------
  const clientId = h('input', { id: 'client-id', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const description = h('input', { id: 'client-description', type: 'text', autocomplete: 'off' });
  const tenant = h('input', { id: 'client-tenant', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const scopes = h('input', { id: 'client-scopes', type: 'text', autocomplete: 'off', spellcheck: 'false', value: 'predict' });
  const rps = h('input', { id: 'client-rps', type: 'number', inputmode: 'decimal', step: 'any', min: '0' });
  const burst = h('input', { id: 'client-burst', type: 'number', inputmode: 'numeric', min: '1' });
  const quota = h('input', { id: 'client-quota', type: 'number', inputmode: 'numeric', min: '1' });
  const createForm = h('form', { id: 'client-form', novalidate: true },
    h('h2', { id: 'client-form-heading' }, 'Create a client'),
    h('div', { class: 'fields' },
      field('Client id', clientId, '1-63 lower-case letters, digits, . _ -'),
      field('Tenant', tenant, 'Who the client belongs to, in the same form.'),
      field('Scopes', scopes, 'Space- or comma-separated: predict, predict:{model}, registry:read, registry:write, deploy, routing:read, inference:call, features:write, feedback:write, admin.'),
      field('Description (optional)', description),
      field('Requests per second (optional)', rps, 'Empty: 50 per second, burst 100.'),
      field('Burst (optional)', burst),
      field('Daily quota (optional)', quota, 'Empty for none.')),
    h('button', { type: 'submit', class: 'primary' }, 'Create client'));
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem('action');
    const number = (input) => (input.value.trim() === '' ? null : Number(input.value.trim()));
    const request = {
      clientId: clientId.value.trim(),
      tenant: tenant.value.trim(),
      scopes: scopes.value.split(/[\s,]+/).filter(Boolean),
    };
    if (description.value.trim()) {
      request.description = description.value.trim();
    }
    if ([rps, burst, quota].some((input) => input.value.trim() !== '')) {
      request.ratePlan = { requestsPerSecond: number(rps), burst: number(burst), dailyQuota: number(quota) };
    }
    try {
      await busy(createForm, async () => {
        const created = await call('/api/v1/clients', { method: 'POST', json: request });
        createForm.reset();
        showSecret(created.data, 'The secret');
        announce(`Client ${created.data.clientId} created.`);
      });
    }
    catch (error) {
      showError(error);
      return;
    }
    await showList().catch((error) => showError(error));
  });

  await showList();
  fill(page.main,
    h('h1', {}, 'Clients'),
    h('p', { class: 'hint' }, 'Programs that call the admin API or the gateway with client_credentials tokens. Needs the admin scope.'),
    secretBox,
    h('section', { class: 'panel', 'aria-labelledby': 'clients-heading' }, h('h2', { id: 'clients-heading' }, 'Every client'), listBody),
    h('section', { class: 'panel', 'aria-labelledby': 'client-form-heading' }, createForm));
}

function ratePlan(plan) {
  if (!plan) {
    return 'the default';
  }
  return `${plan.requestsPerSecond}/s, burst ${plan.burst}${plan.dailyQuota ? `, ${plan.dailyQuota.toLocaleString('en')} a day` : ''}`;
}

function state(client) {
  const parts = [];
  parts.push(client.disabled ? h('span', { class: 'badge warn' }, 'disabled') : 'enabled');
  if (client.lockedUntil) {
    parts.push(h('div', { class: 'hint' }, `locked until ${time(client.lockedUntil)}`));
  }
  if (client.previousSecretExpiresAt) {
    parts.push(h('div', { class: 'hint' }, `old secret works until ${time(client.previousSecretExpiresAt)}`));
  }
  return h('span', { class: 'client-state' }, parts);
}
