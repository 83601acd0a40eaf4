package io.servinglayer.inferenceservice.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies ({@code servinglayer.inference.max-request-size}, default 16 MB):
 * a larger declared length is answered 413 before the body is read, and a body without a
 * length is cut off at the limit while it is read, so one client cannot make the instance
 * buffer without bound. Bounds the time to read them too
 * ({@code servinglayer.inference.http.body-read-timeout}): a read that returns after the
 * deadline, or that Tomcat's upload timeout ends, fails with
 * {@link BodyReadTimeoutException}, so a body trickled a byte at a time holds a worker
 * thread for the timeout (plus at most one idle read) and no longer.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

	private final long limit;

	private final long timeoutNanos;

	RequestSizeLimit(@Value("${servinglayer.inference.max-request-size:16MB}") DataSize limit, HttpSettings http) {
		this.limit = limit.toBytes();
		this.timeoutNanos = http.bodyReadTimeout().toNanos();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			String detail = "the request body has " + request.getContentLengthLong() + " bytes; at most " + this.limit
					+ " are accepted";
			response.setStatus(413);
			response.setContentType("application/problem+json");
			response.getWriter()
				.write("{\"type\":\"https://servinglayer.dev/problems/payload-too-large\",\"title\":\"Payload too large\","
						+ "\"status\":413,\"detail\":\"" + detail + "\",\"error\":\"" + detail + "\"}");
			return;
		}
		chain.doFilter(new Bounded(request, this.limit, System.nanoTime() + this.timeoutNanos), response);
	}

	private static final class Bounded extends HttpServletRequestWrapper {

		private final long limit;

		private final long deadline;

		Bounded(HttpServletRequest request, long limit, long deadline) {
			super(request);
			this.limit = limit;
			this.deadline = deadline;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b;
					try {
						b = in.read();
					}
					catch (IOException ex) {
						throw timedOut(ex);
					}
					count((b >= 0) ? 1 : 0);
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n;
					try {
						n = in.read(buffer, offset, length);
					}
					catch (IOException ex) {
						throw timedOut(ex);
					}
					count(Math.max(n, 0));
					return n;
				}

				private void count(int n) throws IOException {
					this.read += n;
					if (this.read > Bounded.this.limit) {
						throw new BodyTooLargeException(Bounded.this.limit);
					}
					if (n > 0 && System.nanoTime() - Bounded.this.deadline > 0) {
						throw new BodyReadTimeoutException();
					}
				}

				/** Tomcat's upload timeout, as the same failure as the deadline. */
				private IOException timedOut(IOException ex) {
					for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
						if (cause instanceof java.net.SocketTimeoutException) {
							return new BodyReadTimeoutException();
						}
					}
					return ex;
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}

			};
		}

	}

	/** The body was not complete by the deadline. */
	static final class BodyReadTimeoutException extends IOException {

		BodyReadTimeoutException() {
			super("the request body did not arrive in time");
		}

	}

	/** The body went past the limit while it was read. */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException(long limit) {
			super("the request body is larger than " + limit + " bytes");
		}

	}

}
