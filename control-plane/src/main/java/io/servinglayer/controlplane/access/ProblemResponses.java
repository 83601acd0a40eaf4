package io.servinglayer.controlplane.access;

import java.io.IOException;

import io.servinglayer.controlplane.system.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * 401 and 403 as problem documents. The {@code WWW-Authenticate} header comes from
 * Spring's bearer token handlers (RFC 6750: {@code error="invalid_token"} or
 * {@code "insufficient_scope"}); the body says the same for people.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();

	private final ProblemWriter problems;

	ProblemResponses(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		this.entryPoint.commence(request, response, ex);
		boolean tokenSent = request.getHeader("Authorization") != null;
		this.problems.write(response, HttpStatus.UNAUTHORIZED, tokenSent ? "invalid-token" : "unauthenticated",
				"Unauthorized",
				tokenSent
						? "The bearer token is not valid: it is expired, malformed, or not signed by an "
								+ "issuer this control plane trusts"
						: "This endpoint needs a bearer token; get one from /oauth2/token");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		if (ex instanceof CsrfException) {
			this.problems.write(response, HttpStatus.FORBIDDEN, "csrf-token-missing", "Forbidden",
					"A change made with a console session needs the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header");
			return;
		}
		this.deniedHandler.handle(request, response, ex);
		this.problems.write(response, HttpStatus.FORBIDDEN, "insufficient-scope", "Forbidden",
				"The token's scopes do not allow " + request.getMethod() + " " + request.getRequestURI());
	}

}
