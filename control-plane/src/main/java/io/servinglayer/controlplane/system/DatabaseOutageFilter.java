package io.servinglayer.controlplane.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 {@code database-unavailable} with {@code Retry-After} when PostgreSQL fails
 * a request outside a controller: the token endpoint's client lookup, the security
 * filters' lockout records. Controllers' failures of the same kind are answered by
 * {@link ApiExceptionHandler}. Without this, the servlet container answered such a
 * failure with a 500, as if the control plane had a bug.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class DatabaseOutageFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseOutageFilter.class);

	static final String DETAIL = "The control plane's database did not answer in time; nothing was changed. "
			+ "Try again shortly.";

	static final String RETRY_AFTER_SECONDS = "5";

	private final ProblemWriter problems;

	DatabaseOutageFilter(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!isOutage(ex) || response.isCommitted()) {
				throw ex;
			}
			logger.warn("Request {} to {} failed: the database is unavailable: {}", RequestIds.current(),
					request.getRequestURI(), ex.getMessage());
			response.resetBuffer();
			response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
			this.problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
					"Database unavailable", DETAIL);
		}
	}

	/** Whether a failure, or any of its causes, says the database cannot answer now. */
	static boolean isOutage(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
					|| cause instanceof CannotCreateTransactionException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
