// Builds elements without innerHTML: every value from the API lands in the page as text, never as markup.

/**
 * h('a', {href: '#/', class: 'x'}, 'text', child) makes an element. Attributes named on* add listeners;
 * false, null and undefined attributes and children are left out; arrays of children are flattened.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    }
    else if (name === 'class') {
      element.className = value;
    }
    else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    }
    else if (name === 'value') {
      element.value = value;
    }
    else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    }
    else if (child instanceof Node) {
      element.append(child);
    }
    else {
      element.append(String(child));
    }
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A table with a caption, header cells and rows, inside a container that scrolls sideways on narrow screens. */
export function table({ caption, columns, rows, empty, className }) {
  const body = h('tbody', {});
  if (rows.length === 0 && empty) {
    body.append(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty)));
  }
  for (const row of rows) {
    body.append(row instanceof Node ? row : h('tr', {}, row.map((cell) => h('td', {}, cell))));
  }
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { class: className },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column)))),
      body));
}

/** A description list from [term, description] pairs; pairs whose description is null are left out. */
export function definitions(pairs, className = 'facts') {
  return h('dl', { class: className },
    pairs.filter(([, value]) => value !== null && value !== undefined)
      .map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))));
}

/** A labelled form field: label, control and an optional hint tied to the control by aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || (control.id = 'f-' + Math.random().toString(36).slice(2, 10));
  const parts = [h('label', { for: id }, label), control];
  if (hint) {
    const hintId = id + '-hint';
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('small', { id: hintId, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}
