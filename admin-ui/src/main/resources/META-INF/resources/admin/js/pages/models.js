// Models: the registry's list, and one model's versions with their signatures, where a new version is
// uploaded and an old one archived.

import { call, get, upload, segment } from '../api.js';
import { h, fill, table, definitions, field } from '../dom.js';
import { bytes, time, shape, value } from '../format.js';
import { showError, showProblem, clearProblem, announce, confirmChange, busy } from '../shell.js';
import { may } from '../session.js';

export async function renderList(page) {
  document.title = 'Models · Servinglayer console';
  const includeArchived = page.query.get('archived') === 'true';
  const models = [];
  let token = null;
  const more = h('button', { type: 'button', class: 'quiet', id: 'more-models' }, 'Show more models');
  const body = h('div', {});
  const load = async () => {
    const query = new URLSearchParams({ pageSize: '100', includeArchived: String(includeArchived) });
    if (token) {
      query.set('pageToken', token);
    }
    const answer = await get(`/api/v1/models?${query}`, { signal: page.signal });
    models.push(...answer.items);
    token = answer.nextPageToken;
    fill(body, table({
      caption: 'Registered models, by name',
      columns: ['Model', 'Latest version', 'Owner', 'Description', 'Tags', 'Registered'],
      empty: 'No models registered yet. Register one with POST /api/v1/models.',
      rows: models.map((model) => [
        [h('a', { href: `#/models/${segment(model.name)}` }, model.name), model.archived ? [' ', h('span', { class: 'badge warn' }, 'archived')] : null],
        model.latestVersion ? `v${model.latestVersion}` : 'none yet',
        model.owner || '—',
        model.description || '—',
        tags(model.tags),
        [model.createdBy, ', ', time(model.createdAt)],
      ]),
    }));
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
  fill(page.main,
    h('h1', {}, 'Models'),
    h('p', { class: 'lede' }, includeArchived
      ? ['Every model, archived ones too. ', h('a', { href: '#/models' }, 'Leave archived models out')]
      : ['Models that take new versions. ', h('a', { href: '#/models?archived=true' }, 'Show archived models too')]),
    body,
    h('div', {}, more));
}

function tags(map) {
  const entries = Object.entries(map || {});
  return entries.length ? h('ul', { class: 'tags' }, entries.map(([key, tag]) => h('li', {}, tag ? `${key}:${tag}` : key))) : '—';
}

export async function renderModel(page) {
  const [name] = page.params;
  const base = `/api/v1/models/${segment(name)}`;
  document.title = `${name} · Models · Servinglayer console`;
  const versionsBody = h('div', { id: 'versions' });

  let model = await get(base, { signal: page.signal });
  const facts = h('div', {});
  const showFacts = () => fill(facts, definitions([
    ['Description', model.description || '—'],
    ['Owner', model.owner || '—'],
    ['Tags', tags(model.tags)],
    ['Latest version', model.latestVersion ? `v${model.latestVersion}` : 'none yet'],
    ['Registered', [model.createdBy, ', ', time(model.createdAt)]],
    ['Archived', model.archived ? time(model.archivedAt) : null],
  ]));
  const showVersions = async () => {
    const answer = await get(`${base}/versions?includeArchived=true&pageSize=500`, { signal: page.signal });
    const versions = [...answer.items].reverse();
    fill(versionsBody,
      versions.length === 0 ? h('p', { class: 'muted' }, 'No versions yet. Upload the first one above.') : null,
      answer.nextPageToken ? h('p', { class: 'hint' }, 'Showing the first 500 versions; the API lists the rest.') : null,
      versions.map((version) => versionView(version, may('registry') ? archive : null)));
  };

  const archive = async (version) => {
    clearProblem('action');
    const confirmed = await confirmChange({
      title: `Archive version ${version.version} of ${name}?`,
      body: h('p', {}, 'An archived version stays readable, and deployments that use it keep it, but it can no longer be deployed. It cannot be undone.'),
      confirmLabel: 'Archive version',
      danger: true,
    });
    if (!confirmed) {
      announce('Nothing changed.');
      return;
    }
    try {
      await call(`${base}/versions/${version.version}:archive`, { method: 'POST' });
      announce(`Version ${version.version} of ${name} is archived.`);
      await showVersions();
    }
    catch (error) {
      showError(error);
    }
  };

  // --- Upload ------------------------------------------------------------------------------------------------
  const file = h('input', { id: 'upload-file', name: 'artifact', type: 'file', accept: '.onnx,application/octet-stream' });
  const label = h('input', { id: 'upload-label', name: 'label', type: 'text', autocomplete: 'off' });
  const description = h('input', { id: 'upload-description', name: 'description', type: 'text', autocomplete: 'off' });
  const binding = h('textarea', { id: 'upload-binding', name: 'featureBinding', rows: '3', spellcheck: 'false' });
  const progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true, 'aria-label': 'Upload progress' });
  const progressText = h('span', { id: 'upload-progress-text', class: 'hint' });
  const uploadForm = h('form', { id: 'upload-form', novalidate: true },
    h('h2', { id: 'upload-heading' }, 'Upload a new version'),
    h('div', { class: 'fields' },
      field('ONNX file', file, 'The control plane hashes it and reads its signature with ONNX Runtime.'),
      field('Label (optional)', label, 'Unique in the model, such as 2026-11-28 or v1.4.0.'),
      field('Description (optional)', description),
      field('Feature binding (optional JSON)', binding, 'Such as {"featureView": {"name": "fraud_features", "version": 1}, "inputs": {"input": ["amount"]}}.')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Upload'), progress, progressText));
  uploadForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem('action');
    if (!file.files.length) {
      showProblem({ title: 'No file chosen', detail: 'Choose the .onnx file of the new version, then upload it.' });
      file.focus();
      return;
    }
    const metadata = {};
    if (label.value.trim()) {
      metadata.label = label.value.trim();
    }
    if (description.value.trim()) {
      metadata.description = description.value.trim();
    }
    if (binding.value.trim()) {
      try {
        metadata.featureBinding = JSON.parse(binding.value);
      }
      catch (error) {
        showProblem({ title: 'The feature binding is not JSON', detail: `${error.message}. Write it as a JSON object, or leave it empty.` });
        binding.focus();
        return;
      }
    }
    const form = new FormData();
    form.append('artifact', file.files[0], file.files[0].name);
    if (Object.keys(metadata).length) {
      form.append('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
    }
    progress.hidden = false;
    progress.value = 0;
    fill(progressText, 'Uploading…');
    try {
      const answer = await busy(uploadForm, () => upload(`${base}/versions`, form, (sent, total) => {
        progress.value = Math.round((sent / total) * 100);
        fill(progressText, `${progress.value} % of ${bytes(total)} sent`);
      }));
      fill(progressText, `Registered as version ${answer.data.version}.`);
      announce(`Version ${answer.data.version} of ${name} registered, digest ${answer.data.digest.slice(0, 12)}….`);
      uploadForm.reset();
      model = await get(base, { signal: page.signal });
      showFacts();
      await showVersions();
    }
    catch (error) {
      fill(progressText, 'Upload failed.');
      showError(error);
    }
    finally {
      progress.hidden = true;
    }
  });

  showFacts();
  await showVersions();
  fill(page.main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/models' }, 'Models'), ' › model'),
    h('h1', {}, `Model ${name}`),
    facts,
    model.archived ? h('p', { class: 'muted' }, 'This model is archived: it takes no new versions.')
      : !may('upload') ? null
      : h('section', { class: 'panel', 'aria-labelledby': 'upload-heading' }, uploadForm),
    h('section', { class: 'panel', 'aria-labelledby': 'versions-heading' },
      h('h2', { id: 'versions-heading' }, 'Versions, newest first'), versionsBody));
}

function versionView(version, archive) {
  const headingId = `version-${version.version}-heading`;
  return h('article', { class: 'version', id: `version-${version.version}`, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, `Version ${version.version}`, version.label ? ` — ${version.label}` : '',
      version.archived ? [' ', h('span', { class: 'badge warn' }, 'archived')] : null),
    definitions([
      ['Digest', h('code', { class: 'digest' }, `sha256:${version.digest}`)],
      ['Size', bytes(version.sizeBytes)],
      ['Registered', [version.createdBy, ', ', time(version.createdAt)]],
      ['Description', version.description || null],
      ['Labels', Object.keys(version.labels || {}).length ? tags(version.labels) : null],
      ['Training metrics', Object.keys(version.trainingMetrics || {}).length
        ? Object.entries(version.trainingMetrics).map(([metric, number]) => `${metric} ${number}`).join(', ') : null],
      ['Archived', version.archived ? time(version.archivedAt) : null],
    ]),
    signatureView(version),
    bindingView(version.featureBinding),
    version.archived || !archive ? null : h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'danger', dataset: { archive: String(version.version) }, onclick: () => archive(version) },
        `Archive version ${version.version}…`)));
}

function signatureView(version) {
  const signature = version.signature || { inputs: [], outputs: [] };
  const rows = [
    ...signature.inputs.map((tensor) => ['input', tensor]),
    ...signature.outputs.map((tensor) => ['output', tensor]),
  ].map(([role, tensor]) => [role, h('code', {}, tensor.name), tensor.datatype, shape(tensor.shape, tensor.dimensionNames)]);
  return table({
    caption: `Signature of version ${version.version}`,
    className: 'signature',
    columns: ['Role', 'Name', 'Type', 'Shape'],
    empty: 'No inputs or outputs.',
    rows,
  });
}

function bindingView(binding) {
  if (!binding) {
    return h('p', { class: 'hint' }, 'No feature binding: callers send every input.');
  }
  const view = binding.featureView;
  return h('div', { class: 'binding' },
    h('h4', {}, 'Feature binding'),
    definitions([
      ['Feature view', view ? `${view.name} v${view.version}` : 'none'],
      ['Request features', (binding.requestFeatures || []).map((feature) => `${feature.name} (${feature.dtype})`).join(', ') || 'none'],
      ...Object.entries(binding.inputs || {}).map(([input, columns]) => [h('span', {}, 'Input ', h('code', {}, input)), columns.map(value).join(', ')]),
    ]));
}
