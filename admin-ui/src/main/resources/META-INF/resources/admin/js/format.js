// How numbers, times and values read in the console.

import { h } from './dom.js';

/** Basis points (1 = 0.01 %) as a percentage: 1000 → "10.00 %". */
export function weight(basisPoints) {
  if (basisPoints === null || basisPoints === undefined) {
    return '—';
  }
  return `${(basisPoints / 100).toFixed(2)} %`;
}

/** A share (0.995) as a percentage with one decimal: "99.5 %". */
export function share(value, digits = 1) {
  if (value === null || value === undefined) {
    return '—';
  }
  return `${(value * 100).toFixed(digits)} %`;
}

/** A burn rate: "0.42×". */
export function burn(value) {
  return (value === null || value === undefined) ? '—' : `${value.toFixed(2)}×`;
}

export function bytes(count) {
  if (count === null || count === undefined) {
    return '—';
  }
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${count} bytes` : `${value.toFixed(1)} ${units[unit]} (${count} bytes)`;
}

/** A <time> element: local date and time to read, the exact instant in datetime and title. */
export function time(instant) {
  if (!instant) {
    return '—';
  }
  const date = new Date(instant);
  const shown = Number.isNaN(date.getTime()) ? instant
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return h('time', { datetime: instant, title: instant }, shown);
}

export function milliseconds(value) {
  return (value === null || value === undefined) ? '—' : `${Number(value).toFixed(value < 10 ? 1 : 0)} ms`;
}

/** Any JSON value in a diff or a table cell: absent as "—", strings as they are, the rest as JSON. */
export function value(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A tensor shape with its named dimensions: [-1, 4] with names [batch, null] → "[batch, 4]". */
export function shape(dimensions, names) {
  if (!dimensions) {
    return '—';
  }
  return '[' + dimensions.map((size, i) => (size < 0 ? (names && names[i]) || '?' : String(size))).join(', ') + ']';
}

/**
 * A JSON object flattened to dotted paths ({canary: {weightBasisPoints: 1}} → "canary.weightBasisPoints"), nulls
 * left out: the control plane's dry run names changed fields the same way.
 */
export function flatten(object, prefix = '', into = {}) {
  if (object === null || object === undefined) {
    return into;
  }
  if (typeof object === 'object' && !Array.isArray(object)) {
    for (const [key, inner] of Object.entries(object)) {
      flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    }
  }
  else {
    into[prefix] = object;
  }
  return into;
}

/** The fields whose values differ between two objects, as [{field, before, after}]. */
export function diff(before, after) {
  const old = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...Object.keys(now), ...Object.keys(old)])];
  return fields.filter((field) => JSON.stringify(old[field]) !== JSON.stringify(now[field]))
    .map((field) => ({ field, before: old[field], after: now[field] }));
}
