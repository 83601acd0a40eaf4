// The console's shell: a hash router over the pages, the navigation's current page, sign-out, and the life
// of each page (its timers and calls end when another page is shown).

import { call } from './api.js';
import { h, fill } from './dom.js';
import { showError, clearProblem, announce } from './shell.js';
import * as overview from './pages/overview.js';
import * as deployment from './pages/deployment.js';
import * as models from './pages/models.js';
import * as featureViews from './pages/feature-views.js';
import * as audit from './pages/audit.js';
import * as clients from './pages/clients.js';
import * as users from './pages/users.js';
import * as session from './session.js';

const routes = [
  { pattern: /^\/$/, section: 'overview', render: overview.render },
  { pattern: /^\/deployments\/([^/]+)$/, section: 'overview', render: deployment.render },
  { pattern: /^\/models$/, section: 'models', render: models.renderList },
  { pattern: /^\/models\/([^/]+)$/, section: 'models', render: models.renderModel },
  { pattern: /^\/feature-views$/, section: 'feature-views', render: featureViews.renderList },
  { pattern: /^\/feature-views\/([^/]+)$/, section: 'feature-views', render: featureViews.renderView },
  { pattern: /^\/audit$/, section: 'audit', render: audit.render },
  { pattern: /^\/clients$/, section: 'clients', render: clients.render },
  { pattern: /^\/users$/, section: 'users', render: users.render },
];

/**
 * What a page gets: its container, its route's parameters and query, an AbortSignal that fires when the page
 * is left, and every(ms, task) for a live refresh that stops with the page and waits for each run to end
 * before scheduling the next.
 */
class Page {

  constructor(main, params, query) {
    this.main = main;
    this.params = params;
    this.query = query;
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    this.timers = new Set();
  }

  every(ms, task) {
    const run = async () => {
      if (this.signal.aborted) {
        return;
      }
      if (!document.hidden) {
        await task();
      }
      if (!this.signal.aborted) {
        const timer = setTimeout(() => { this.timers.delete(timer); run(); }, ms);
        this.timers.add(timer);
      }
    };
    const first = setTimeout(() => { this.timers.delete(first); run(); }, ms);
    this.timers.add(first);
  }

  leave() {
    this.controller.abort();
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }

}

let current = null;

/** The first page shown keeps the browser's focus; after that, each new page's heading takes it. */
let firstRoute = true;

/** A path segment from the address; one with a broken %-escape is taken as written (the API will say). */
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  }
  catch {
    return segment;
  }
}

function parseHash() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) {
    return null;
  }
  const [path, query = ''] = hash.slice(1).split('?');
  return { path, query: new URLSearchParams(query) };
}

async function route() {
  const target = parseHash();
  if (!target) {
    return;
  }
  const moveFocus = !firstRoute;
  firstRoute = false;
  current?.leave();
  // A problem belongs to the page it happened on.
  clearProblem('page');
  clearProblem('refresh');
  clearProblem('action');
  const main = document.getElementById('main');
  const match = routes.map((candidate) => ({ candidate, found: candidate.pattern.exec(target.path) }))
    .find(({ found }) => found);
  markNavigation(match ? match.candidate.section : null);
  const page = new Page(main, match ? match.found.slice(1).map(decode) : [], target.query);
  current = page;
  if (!match) {
    document.title = 'Not found · Servinglayer console';
    fill(main, h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, 'The console has no page at ', h('code', {}, location.hash), '. ', h('a', { href: '#/' }, 'Go to the overview'), '.'));
    if (moveFocus) {
      focusHeading(main);
    }
    return;
  }
  try {
    await match.candidate.render(page);
  }
  catch (error) {
    if (page.signal.aborted) {
      return;
    }
    showError(error, 'page');
    if (!main.querySelector('h1')) {
      fill(main, h('h1', { tabindex: '-1' }, 'This page could not be loaded'),
        h('p', {}, 'The alert above says why. ', h('a', { href: '#/' }, 'Go to the overview'), ' or try again.'));
    }
  }
  if (current === page && moveFocus) {
    focusHeading(main);
  }
}

/** Moves focus to the new page's heading, so keyboard and screen-reader users start there. */
function focusHeading(main) {
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

function markNavigation(section) {
  for (const link of document.querySelectorAll('.masthead nav a')) {
    if (link.dataset.section === section) {
      link.setAttribute('aria-current', 'page');
    }
    else {
      link.removeAttribute('aria-current');
    }
  }
}

/**
 * Sign-out posts to the control plane's /logout with the CSRF token in the header (the session keeps its
 * token in a cookie for the header, so a plain form field would not match), then shows the login page.
 */
async function signOut(event) {
  event.preventDefault();
  try {
    // The answer is a redirect to the login page, which fetch follows.
    await call('/logout', { method: 'POST' });
  }
  catch (error) {
    showError(error);
    return;
  }
  location.assign('/login?logout');
}

document.getElementById('sign-out').addEventListener('submit', signOut);
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', () => {
  announce('');
  route();
});

/** The signed-in person's name and roles in the header; links to pages their scopes do not open are hidden. */
function showSession(me) {
  const whoami = document.getElementById('whoami');
  if (me) {
    const who = me.username ?? me.clientId;
    const roles = me.roles ? me.roles.join(', ') : me.scopes.join(' ');
    fill(whoami, h('span', { class: 'visually-hidden' }, 'Signed in as '), h('strong', { id: 'whoami-name' }, who),
      roles ? h('span', { class: 'whoami-roles' }, ` (${roles})`) : null);
  }
  for (const item of document.querySelectorAll('.masthead [data-needs]')) {
    item.hidden = !session.may(item.dataset.needs);
  }
}

session.load().then((me) => {
  showSession(me);
  route();
});
