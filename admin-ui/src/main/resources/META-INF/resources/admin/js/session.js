// Who is signed in and what they may do, from GET /api/v1/users/me, read once when the console starts. Pages
// leave out the controls the person's scopes do not allow. This only tidies the page: the API decides every
// change on its own and answers 403 to a refused one, whatever the page showed.

import { get } from './api.js';

/**
 * What each kind of change needs: any one of these scopes, as the control plane's access rules have it
 * (AccessConfiguration).
 */
const NEEDS = {
  // Deployments, their SLOs, rollouts and their actions, rollbacks.
  deploy: ['deploy', 'admin'],
  // POST /api/v1/models/{name}/versions.
  upload: ['registry:write', 'deploy', 'admin'],
  // Models and feature views otherwise: archiving a version.
  registry: ['registry:write', 'admin'],
  // Clients, users, the audit log.
  admin: ['admin'],
};

let me = null;

/** Reads who is signed in; when the API does not say, every control shows and the API decides. */
export async function load() {
  try {
    me = await get('/api/v1/users/me');
  }
  catch {
    me = null;
  }
  return me;
}

/** The caller as GET /api/v1/users/me answered, or null when it did not. */
export function current() {
  return me;
}

/** Whether the signed-in person's scopes allow a kind of change (see NEEDS); true when unknown. */
export function may(kind) {
  if (!me || !Array.isArray(me.scopes)) {
    return true;
  }
  return (NEEDS[kind] || []).some((scope) => me.scopes.includes(scope));
}
