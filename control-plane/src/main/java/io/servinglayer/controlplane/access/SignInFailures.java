package io.servinglayer.controlplane.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.servinglayer.controlplane.system.ProblemWriter;
import io.servinglayer.controlplane.user.SignInLockedException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * Answers a failed console sign-in. A wrong password goes back to the login page, which
 * says no more than that the credentials were not accepted; a locked-out sign-in is
 * answered 429 with {@code Retry-After} and says so (a page for a browser, a problem
 * document otherwise), since "invalid credentials" would send the user guessing again.
 */
final class SignInFailures implements AuthenticationFailureHandler {

	private final AuthenticationFailureHandler backToTheForm = new SimpleUrlAuthenticationFailureHandler(
			"/login?error");

	private final ProblemWriter problems;

	SignInFailures(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (!(exception instanceof SignInLockedException locked)) {
			this.backToTheForm.onAuthenticationFailure(request, response, exception);
			return;
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(locked.retryAfterSeconds()));
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept != null && accept.contains(MediaType.TEXT_HTML_VALUE)) {
			byte[] page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in locked"
					+ "</title></head><body><p role=\"alert\">" + locked.getMessage()
					+ ".</p><p><a href=\"/login\">Back to the sign-in page</a></p></body></html>")
				.getBytes(StandardCharsets.UTF_8);
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			response.setContentType("text/html;charset=UTF-8");
			response.setContentLength(page.length);
			response.getOutputStream().write(page);
			return;
		}
		this.problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "sign-in-locked", "Too many failed sign-ins",
				locked.getMessage());
	}

}
