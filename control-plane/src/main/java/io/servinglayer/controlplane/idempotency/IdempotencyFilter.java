package io.servinglayer.controlplane.idempotency;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.servinglayer.controlplane.signingkey.DerivedKeys;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes POSTs that carry {@code Idempotency-Key} safe to retry. The request is
 * fingerprinted; the key is claimed, the request handled and its answer stored, all in
 * one database transaction, and only after that commits does the caller see the answer. A
 * retry with the same key and request gets the stored answer again with no second effect;
 * the same key with another request gets 422. Answers other than 2xx are not stored and
 * their transaction rolls back, so a corrected retry may reuse the key.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private static final Logger logger = LoggerFactory.getLogger(IdempotencyFilter.class);

	private static final String[] REPLAYED_HEADERS = { HttpHeaders.LOCATION, HttpHeaders.ETAG,
			HttpHeaders.CONTENT_TYPE };

	private final IdempotencyRecords records;

	private final TransactionTemplate transactions;

	private final CurrentActor actor;

	private final ProblemWriter problems;

	private final Clock clock;

	/**
	 * Requests are fingerprinted with HMAC-SHA256 under a key of the installation's, not
	 * a bare hash: a body may carry a password (a user's), and a stored unkeyed hash of
	 * it could be guessed offline.
	 */
	private final SecretKeySpec fingerprintKey;

	IdempotencyFilter(IdempotencyRecords records, TransactionTemplate transactions, CurrentActor actor,
			ProblemWriter problems, Clock clock, DerivedKeys keys) {
		this.fingerprintKey = new SecretKeySpec(keys.forPurpose("idempotency-request-fingerprint"), "HmacSHA256");
		this.records = records;
		this.transactions = transactions;
		this.actor = actor;
		this.problems = problems;
		this.clock = clock;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
				|| !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER);
		if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch((c) -> c >= 0x21 && c <= 0x7e)) {
			writeProblem(response, HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Invalid idempotency key",
					"Idempotency-Key must be 1-255 visible ASCII characters, such as a UUID");
			return;
		}
		Mac fingerprint = newFingerprint();
		update(fingerprint, request.getMethod());
		update(fingerprint, request.getRequestURI());
		update(fingerprint, String.valueOf(request.getQueryString()));
		HttpServletRequest handled;
		try {
			handled = fingerprintBody(request, fingerprint);
		}
		catch (BodyTooLargeException ex) {
			writeProblem(response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
					ex.getMessage());
			return;
		}
		String requestHash = HexFormat.of().formatHex(fingerprint.doFinal());
		String scope = this.actor.name();
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		Outcome outcome;
		try {
			outcome = this.transactions.execute((status) -> {
				if (!this.records.claim(scope, key, request.getMethod(), request.getRequestURI(), requestHash,
						this.clock.instant())) {
					status.setRollbackOnly();
					return Outcome.replay(this.records.find(scope, key).orElseThrow());
				}
				try {
					chain.doFilter(handled, captured);
				}
				catch (IOException | ServletException ex) {
					throw new HandlingFailedException(ex);
				}
				if (captured.getStatus() >= 200 && captured.getStatus() < 300) {
					// An answer marked no-store carries a secret: remember that the
					// request was handled, not the answer.
					String cacheControl = captured.getHeader(HttpHeaders.CACHE_CONTROL);
					boolean replayable = cacheControl == null || !cacheControl.contains("no-store");
					this.records.complete(scope, key, captured.getStatus(),
							replayable ? replayedHeaders(captured) : Map.of(),
							replayable ? captured.getContentAsByteArray() : new byte[0], replayable);
				}
				else {
					status.setRollbackOnly();
				}
				return Outcome.handled();
			});
		}
		catch (HandlingFailedException ex) {
			throw new ServletException(ex.getCause());
		}
		catch (RuntimeException ex) {
			// The answer was never committed, so the caller must not see it as a success.
			logger.error("Idempotent request failed to commit", ex);
			captured.resetBuffer();
			response.reset();
			writeProblem(response, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
					"The request could not be completed; retry it with the same Idempotency-Key.");
			return;
		}
		if (outcome.stored() == null) {
			captured.copyBodyToResponse();
			return;
		}
		IdempotencyRecord stored = outcome.stored();
		if (!stored.requestHash().equals(requestHash)) {
			writeProblem(response, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency key reused",
					"This Idempotency-Key was used for a different request; use a new key for a new request");
			return;
		}
		if (!stored.replayable()) {
			writeProblem(response, HttpStatus.CONFLICT, "answer-not-kept", "Already handled",
					"A request with this Idempotency-Key was already handled. Its answer carried a secret, so it was "
							+ "not kept; GET the resource to see its state");
			return;
		}
		response.setStatus(stored.status());
		stored.headers().forEach(response::setHeader);
		response.setHeader(REPLAYED_HEADER, "true");
		response.setContentLength(stored.body().length);
		response.getOutputStream().write(stored.body());
	}

	/**
	 * Feeds the request's content into the hash and returns a request that can still be
	 * read. A multipart request is hashed part by part from the container's own spooled
	 * parts, which Spring reads again later; any other body is read into memory up to a
	 * bound and replayed.
	 */
	private HttpServletRequest fingerprintBody(HttpServletRequest request, Mac fingerprint)
			throws IOException, BodyTooLargeException, ServletException {
		String contentType = String.valueOf(request.getContentType()).toLowerCase(Locale.ROOT);
		// The media type without its parameters: a multipart boundary differs on every
		// retry.
		int parameters = contentType.indexOf(';');
		update(fingerprint, (parameters >= 0) ? contentType.substring(0, parameters).trim() : contentType);
		if (contentType.startsWith("multipart/")) {
			try {
				for (Part part : request.getParts()) {
					update(fingerprint, part.getName());
					update(fingerprint, String.valueOf(part.getSubmittedFileName()));
					update(fingerprint, String.valueOf(part.getContentType()));
					try (InputStream in = part.getInputStream()) {
						byte[] buffer = new byte[64 * 1024];
						for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
							fingerprint.update(buffer, 0, n);
						}
					}
				}
			}
			catch (IllegalStateException ex) {
				// The container refuses parts over the multipart limits with an
				// IllegalStateException.
				throw new BodyTooLargeException("The upload is larger than the control plane accepts "
						+ "(servinglayer.control-plane.artifacts.max-size)");
			}
			return request;
		}
		byte[] body;
		try {
			// Bounded: the request-size filter cuts a body off at its limit while it is
			// read.
			body = request.getInputStream().readAllBytes();
		}
		catch (IOException ex) {
			throw new BodyTooLargeException(ex.getMessage());
		}
		fingerprint.update(body);
		return new ReplayedBodyRequest(request, body);
	}

	private static Map<String, String> replayedHeaders(HttpServletResponse response) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String name : REPLAYED_HEADERS) {
			String value = response.getHeader(name);
			if (value != null) {
				headers.put(name, value);
			}
		}
		return headers;
	}

	private void writeProblem(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
			throws IOException {
		this.problems.write(response, status, type, title, detail);
	}

	private static void update(Mac digest, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		// Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently.
		digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		digest.update((byte) ':');
		digest.update(bytes);
	}

	private Mac newFingerprint() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.fingerprintKey);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("every JDK has HMAC-SHA256", ex);
		}
	}

	private record Outcome(IdempotencyRecord stored) {

		static Outcome replay(IdempotencyRecord stored) {
			return new Outcome(stored);
		}

		static Outcome handled() {
			return new Outcome(null);
		}

	}

	private static final class BodyTooLargeException extends Exception {

		BodyTooLargeException(String message) {
			super(message);
		}

	}

	private static final class HandlingFailedException extends RuntimeException {

		HandlingFailedException(Exception cause) {
			super(cause);
		}

	}

	/** A request whose body was read for hashing and is served again from memory. */
	private static final class ReplayedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body is already in memory");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), (getCharacterEncoding() != null)
					? Charset.forName(getCharacterEncoding()) : StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
