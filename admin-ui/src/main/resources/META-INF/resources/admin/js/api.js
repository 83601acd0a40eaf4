// The console's only way to the control plane: the public admin API under /api/v1, called with the session
// cookie of the signed-in person. Changes carry the CSRF token the control plane put in the XSRF-TOKEN cookie,
// sent back in the X-XSRF-TOKEN header. Failures become ProblemErrors holding the API's problem document.

const ACCEPT = 'application/json, application/problem+json';

/** A refused or failed call; problem holds the RFC 9457 document (title, detail, status, type, errors…). */
export class ProblemError extends Error {

  constructor(problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.problem = problem;
    this.status = problem.status;
  }

}

/** The session's CSRF token from the XSRF-TOKEN cookie, or null when the control plane has set none. */
export function csrfToken() {
  const cookie = document.cookie.split(';').map((part) => part.trim()).find((part) => part.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.slice('XSRF-TOKEN='.length)) : null;
}

function changes(method) {
  return method !== 'GET' && method !== 'HEAD';
}

/**
 * Calls the API. Answers {status, etag, data, headers}; throws a ProblemError for an answer that is not 2xx, or
 * when the control plane does not answer. json is sent as the JSON body; signal aborts the call.
 */
export async function call(path, { method = 'GET', json, headers = {}, signal } = {}) {
  const sent = { Accept: ACCEPT, ...headers };
  if (changes(method)) {
    const token = csrfToken();
    if (token) {
      sent['X-XSRF-TOKEN'] = token;
    }
  }
  let body;
  if (json !== undefined) {
    sent['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body, signal, credentials: 'same-origin', cache: 'no-store' });
  }
  catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ProblemError(unanswered(method, path, error.message));
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ProblemError(problemOf(response.status, response.headers.get('Content-Type'), text, method, path));
  }
  return { status: response.status, etag: response.headers.get('ETag'), headers: response.headers, data: parse(text) };
}

/** GET, answering the body only. */
export async function get(path, options = {}) {
  return (await call(path, options)).data;
}

/**
 * Uploads a multipart form with XMLHttpRequest, whose upload events fetch does not give: onProgress(sent, total)
 * is called as the bytes leave. Answers {status, data}; throws a ProblemError as call does.
 */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('Accept', ACCEPT);
    const token = csrfToken();
    if (token) {
      request.setRequestHeader('X-XSRF-TOKEN', token);
    }
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded, event.total);
      }
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        resolve({ status: request.status, data: parse(request.responseText) });
      }
      else {
        reject(new ProblemError(problemOf(request.status, request.getResponseHeader('Content-Type'),
          request.responseText, 'POST', path)));
      }
    });
    request.addEventListener('error', () => reject(new ProblemError(unanswered('POST', path, 'the connection failed'))));
    request.addEventListener('abort', () => reject(new ProblemError({ title: 'Upload cancelled', detail: 'Nothing was uploaded.', status: 0 })));
    request.send(form);
  });
}

function parse(text) {
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  }
  catch {
    return text;
  }
}

/** The problem document of a failed answer, or one made up from its status when the answer held none. */
export function problemOf(status, contentType, text, method, path) {
  if (contentType && contentType.includes('json')) {
    try {
      const problem = JSON.parse(text);
      if (problem && (problem.title || problem.detail)) {
        return { status, ...problem };
      }
    }
    catch {
      // fall through: an answer that claims JSON but is not
    }
  }
  return {
    status,
    title: `HTTP ${status}`,
    detail: `${method} ${path} answered ${status} without a problem document.`,
  };
}

function unanswered(method, path, reason) {
  return {
    status: 0,
    title: 'The control plane did not answer',
    detail: `${method} ${path} failed (${reason}). Check that the control plane is running, then try again.`,
  };
}

/** Path segment encoding for names taken from the API or the address bar. */
export function segment(value) {
  return encodeURIComponent(value);
}
