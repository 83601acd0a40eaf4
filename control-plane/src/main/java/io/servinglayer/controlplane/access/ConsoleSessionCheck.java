package io.servinglayer.controlplane.access;

import java.io.IOException;
import java.util.Optional;

import io.servinglayer.controlplane.user.ConsoleSessions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks the person behind a console session on each request that rides on one (see
 * {@link ConsoleSessions}): a disabled user's session, or one signed in with a password
 * since reset, is invalidated, and the request goes on unauthenticated (401 from the API,
 * the login page for the console); a user whose roles changed gets the new roles for this
 * request. Spring Security keeps the sign-in in the session and would not notice either.
 * Bearer-token requests are not looked at.
 */
final class ConsoleSessionCheck extends OncePerRequestFilter {

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final ConsoleSessions sessions;

	ConsoleSessionCheck(ConsoleSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication signedIn = this.contexts.getContext().getAuthentication();
		if (signedIn != null && ConsoleSessions.isConsoleSignIn(signedIn)) {
			Optional<Authentication> current = this.sessions.current(signedIn);
			if (current.isEmpty()) {
				HttpSession session = request.getSession(false);
				if (session != null) {
					session.invalidate();
				}
				this.contexts.clearContext();
			}
			else if (current.get() != signedIn) {
				// For this request only: the session keeps the sign-in, checked anew
				// on the next request.
				SecurityContext refreshed = this.contexts.createEmptyContext();
				refreshed.setAuthentication(current.get());
				this.contexts.setContext(refreshed);
			}
		}
		chain.doFilter(request, response);
	}

}
