// People who sign in to the console (admin only): the list with roles and state, creating one, changing roles,
// resetting a password, disabling and enabling. Passwords typed here go to the API and nowhere else: the page
// keeps none, and no answer carries one back.

import { call, get, segment } from '../api.js';
import { h, fill, table, field } from '../dom.js';
import { time } from '../format.js';
import { showError, clearProblem, announce, confirmChange, busy } from '../shell.js';
import * as session from '../session.js';

/** The roles, in the order the API lists them, with what each lets a person do. */
const ROLES = [
  ['viewer', 'reads models, feature views, deployments, rollouts, SLOs'],
  ['deployer', 'a viewer who also deploys, steers rollouts, sets SLOs, uploads versions'],
  ['admin', 'everything, including clients, users and the audit log'],
];

export async function render(page) {
  document.title = 'Users · Servinglayer console';
  if (!session.may('admin')) {
    // The API would answer 403 to every call on this page; say so instead of showing controls that cannot work.
    fill(page.main,
      h('h1', {}, 'Users'),
      h('p', { id: 'read-only', class: 'hint' }, 'Managing users needs the admin role. Ask an admin to change your roles or password.'));
    return;
  }
  const me = session.current();
  const listBody = h('div', { id: 'users-list' });

  const showList = async () => {
    const answer = await get('/api/v1/users?pageSize=500', { signal: page.signal });
    fill(listBody,
      table({
        caption: 'Users by username',
        className: 'users',
        columns: ['User', 'Roles', 'State', 'Created', 'Actions'],
        empty: 'No users.',
        rows: answer.items.map((user) => h('tr', { dataset: { user: user.username } },
          [h('code', {}, user.username),
            h('span', { class: 'user-roles' }, user.roles.join(', '),
              user.legacyScopes ? h('small', { class: 'hint' }, ` and the scopes ${user.legacyScopes.join(' ')}`) : null),
            h('span', { class: 'user-state' }, user.disabled ? h('span', { class: 'badge warn' }, 'disabled') : 'enabled'),
            [user.createdBy, ', ', time(user.createdAt)],
            actions(user)].map((cell) => h('td', {}, cell)))),
      }),
      answer.nextPageToken ? h('p', { class: 'hint' }, 'Showing the first 500 users; the API lists the rest.') : null);
  };

  /** Sends a change, then announces it and reads the list again; a refused change shows the API's problem. */
  const send = async (path, options, done) => {
    try {
      const answer = await call(path, options);
      announce(done(answer.data));
    }
    catch (error) {
      showError(error);
    }
    await showList().catch((error) => showError(error));
  };

  const setDisabled = async (user, disable) => {
    clearProblem('action');
    const confirmed = await confirmChange({
      title: `${disable ? 'Disable' : 'Enable'} ${user.username}?`,
      body: h('p', {}, disable
        ? 'They cannot sign in any more, and a console session of theirs ends on its next request.'
        : 'They can sign in again with their password.'),
      confirmLabel: disable ? 'Disable user' : 'Enable user',
      danger: disable,
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    await send(`/api/v1/users/${segment(user.username)}:${disable ? 'disable' : 'enable'}`, { method: 'POST' },
      (changed) => `${changed.username} is ${changed.disabled ? 'disabled' : 'enabled'}.`);
  };

  const editRoles = async (user) => {
    clearProblem('action');
    const boxes = roleBoxes('edit-role', user.roles);
    const confirmed = await confirmChange({
      title: `Roles of ${user.username}`,
      body: [h('p', {}, 'They apply from the user\'s next request, in an open console session too.'), boxes.fieldset],
      confirmLabel: 'Save roles',
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    await send(`/api/v1/users/${segment(user.username)}/roles`, { method: 'PUT', json: { roles: boxes.chosen() } },
      (changed) => `${changed.username}'s roles are now ${changed.roles.join(', ')}.`);
  };

  const resetPassword = async (user) => {
    clearProblem('action');
    const password = h('input', { id: 'reset-password', type: 'password', autocomplete: 'new-password' });
    const confirmed = await confirmChange({
      title: `New password for ${user.username}`,
      body: [h('p', {}, 'Their console sessions signed in with the old password end on their next request, and their sign-in lockouts are lifted.'),
        field('New password', password, '12-128 characters, not the username.')],
      confirmLabel: 'Set password',
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    await send(`/api/v1/users/${segment(user.username)}:reset-password`, { method: 'POST', json: { password: password.value } },
      (changed) => `${changed.username} has a new password.`);
  };

  const actions = (user) => h('div', { class: 'buttons', role: 'group', 'aria-label': `Actions on ${user.username}` },
    h('button', { type: 'button', class: 'quiet', dataset: { action: 'roles' }, onclick: () => editRoles(user) }, 'Roles…'),
    h('button', { type: 'button', class: 'quiet', dataset: { action: 'reset-password' }, onclick: () => resetPassword(user) }, 'Reset password…'),
    // The API refuses to disable yourself (409 disabling-yourself); the button is left out rather than shown to fail.
    me && me.username === user.username ? null
      : user.disabled
        ? h('button', { type: 'button', class: 'quiet', dataset: { action: 'enable' }, onclick: () => setDisabled(user, false) }, 'Enable…')
        : h('button', { type: 'button', class: 'danger', dataset: { action: 'disable' }, onclick: () => setDisabled(user, true) }, 'Disable…'));

  // --- Create ------------------------------------------------------------------------------------------------
  const username = h('input', { id: 'user-name', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const password = h('input', { id: 'user-password', type: 'password', autocomplete: 'new-password' });
  const boxes = roleBoxes('user-role', ['viewer']);
  const createForm = h('form', { id: 'user-form', novalidate: true },
    h('h2', { id: 'user-form-heading' }, 'Create a user'),
    h('div', { class: 'fields' },
      field('Username', username, '3-64 lower-case letters, digits, . _ -'),
      field('Password', password, '12-128 characters (at most 72 bytes), not the username. Tell it to them another way.')),
    boxes.fieldset,
    h('button', { type: 'submit', class: 'primary' }, 'Create user'));
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem('action');
    const request = { username: username.value.trim(), password: password.value, roles: boxes.chosen() };
    try {
      await busy(createForm, async () => {
        const created = await call('/api/v1/users', { method: 'POST', json: request });
        createForm.reset();
        announce(`User ${created.data.username} created with the roles ${created.data.roles.join(', ')}.`);
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
    h('h1', {}, 'Users'),
    h('p', { class: 'hint' }, 'People who sign in to this console, and their roles. Programs are ', h('a', { href: '#/clients' }, 'clients'), '. Needs the admin role.'),
    h('section', { class: 'panel', 'aria-labelledby': 'users-heading' }, h('h2', { id: 'users-heading' }, 'Every user'), listBody),
    h('section', { class: 'panel', 'aria-labelledby': 'user-form-heading' }, createForm));
}

/** A fieldset of one checkbox per role; chosen() answers the checked roles' names. */
function roleBoxes(prefix, checked) {
  const inputs = ROLES.map(([role]) => h('input', { id: `${prefix}-${role}`, type: 'checkbox', value: role,
    checked: checked.includes(role) }));
  const fieldset = h('fieldset', { class: 'roles' },
    h('legend', {}, 'Roles'),
    ROLES.map(([role, what], i) => h('div', { class: 'check' }, inputs[i],
      h('label', { for: inputs[i].id }, h('strong', {}, role), h('small', { class: 'hint' }, ` ${what}`)))));
  return { fieldset, chosen: () => inputs.filter((input) => input.checked).map((input) => input.value) };
}
