package io.servinglayer.controlplane.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body. A declared {@code Content-Length} over the limit is refused
 * with 413 before a byte of the body is read, so a client that sent
 * {@code Expect: 100-continue} (curl does for big uploads) never sends it. A body without
 * a length is cut off at the limit while it is read. Multipart uploads are bounded by the
 * multipart limits, which follow the artifact size limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestSizeFilter extends OncePerRequestFilter {

	private final long maxBodySize;

	private final long maxMultipartSize;

	private final ProblemWriter problems;

	RequestSizeFilter(ApiProperties properties, MultipartConfigElement multipart, ProblemWriter problems) {
		this.maxBodySize = properties.maxBodySize().toBytes();
		this.maxMultipartSize = multipart.getMaxRequestSize();
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		boolean multipart = contentType != null && contentType.toLowerCase().startsWith("multipart/");
		long limit = multipart ? this.maxMultipartSize : this.maxBodySize;
		if (limit > 0 && request.getContentLengthLong() > limit) {
			this.problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
					"The request body has " + request.getContentLengthLong() + " bytes; at most " + limit
							+ " are accepted here");
			return;
		}
		chain.doFilter(multipart ? request : new BoundedRequest(request, limit), response);
	}

	/** Thrown while reading a body that turns out longer than the limit. */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException(long limit) {
			super("The request body is larger than the " + limit + " bytes accepted here");
		}

	}

	private static final class BoundedRequest extends HttpServletRequestWrapper {

		private final long limit;

		BoundedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					if (b >= 0) {
						count(1);
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					if (n > 0) {
						count(n);
					}
					return n;
				}

				private void count(int n) throws IOException {
					this.read += n;
					if (this.read > BoundedRequest.this.limit) {
						throw new BodyTooLargeException(BoundedRequest.this.limit);
					}
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

}
