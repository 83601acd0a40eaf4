package io.servinglayer.controlplane.system;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a NUL character in any request parameter, of the query or of a form (the token
 * endpoint's client id, the login form's username), as {@link NulCharacters} does in JSON
 * bodies: PostgreSQL cannot compare or store it, and would fail the request as ours.
 * Multipart parts are left to the upload's own checks.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class NulParameterFilter extends OncePerRequestFilter {

	private final ProblemWriter problems;

	NulParameterFilter(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		if (contentType == null || !contentType.toLowerCase().startsWith("multipart/")) {
			for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
				if (hasNul(parameter.getKey()) || anyHasNul(parameter.getValue())) {
					this.problems.write(response, HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
							parameter.getKey().replace("\0", "\\u0000") + ": " + NulCharacters.MESSAGE);
					return;
				}
			}
		}
		chain.doFilter(request, response);
	}

	private static boolean anyHasNul(String[] values) {
		for (String value : values) {
			if (hasNul(value)) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasNul(String value) {
		return value != null && value.indexOf(0) >= 0;
	}

}
