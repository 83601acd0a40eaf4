package io.servinglayer.gateway.access;

import io.servinglayer.gateway.system.GatewayProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A call the access rules refuse: 401 without a valid token, 403 without the scope, each
 * with the {@code WWW-Authenticate} challenge RFC 6750 asks for. The detail never repeats
 * the token.
 */
public final class AccessRefused extends GatewayProblem {

	private final String challenge;

	private AccessRefused(HttpStatus status, String kind, String title, String detail, String challenge) {
		super(status, kind, title, detail);
		this.challenge = challenge;
	}

	static AccessRefused unauthenticated() {
		return new AccessRefused(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthorized",
				"send a bearer token from the control plane's /oauth2/token", "Bearer realm=\"servinglayer\"");
	}

	static AccessRefused invalidToken() {
		return new AccessRefused(HttpStatus.UNAUTHORIZED, "invalid-token", "Unauthorized",
				"the bearer token is not valid: expired, not ours, or not for this audience",
				"Bearer realm=\"servinglayer\", error=\"invalid_token\", error_description=\"The token is not valid\"");
	}

	static AccessRefused insufficientScope(boolean pinned, String pinnedScope) {
		String needed = pinned ? "predict " + pinnedScope : "predict";
		return new AccessRefused(HttpStatus.FORBIDDEN, "insufficient-scope", "Forbidden",
				"this call needs scope predict or predict:{model}"
						+ (pinned ? ", and " + pinnedScope + " to name a version" : "")
						+ "; a disabled client is refused too",
				"Bearer realm=\"servinglayer\", error=\"insufficient_scope\", scope=\"" + needed + "\"");
	}

	static AccessRefused insufficientFeedbackScope(String scope) {
		return new AccessRefused(HttpStatus.FORBIDDEN, "insufficient-scope", "Forbidden",
				"sending feedback needs scope " + scope + " (a predict scope is not enough); a disabled client is "
						+ "refused too",
				"Bearer realm=\"servinglayer\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
	}

	@Override
	public void addHeaders(HttpHeaders headers) {
		headers.set(HttpHeaders.WWW_AUTHENTICATE, this.challenge);
	}

}
