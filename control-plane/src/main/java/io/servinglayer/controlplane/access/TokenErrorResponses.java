package io.servinglayer.controlplane.access;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.controlplane.client.ClientSecretCheck;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Answers a refused client authentication at the token endpoint in the RFC 6749 shape,
 * keeping the description: ours say only what the caller may know (its client is disabled
 * or locked, and for how long), where the authorization server's default drops every
 * description. A locked-out client also gets {@code Retry-After}.
 */
final class TokenErrorResponses implements AuthenticationFailureHandler {

	private final JsonMapper json;

	private final MeterRegistry meters;

	TokenErrorResponses(JsonMapper json, MeterRegistry meters) {
		this.json = json;
		this.meters = meters;
	}

	/**
	 * Counts a refusal by reason: {@code locked} (a client locked out after failed
	 * attempts), else the RFC 6749 error code ({@code invalid_client} for an unknown
	 * client, a wrong secret or a disabled client alike, so the count tells nothing the
	 * answer does not; {@code invalid_scope}, {@code invalid_request}...). Never a client
	 * id or a secret.
	 */
	private void count(OAuth2Error error, AuthenticationException exception) {
		String reason = (exception instanceof ClientSecretCheck.ClientRefusedException refused
				&& refused.retryAfterSeconds() > 0) ? "locked" : error.getErrorCode();
		Counter.builder("controlplane.token.refused")
			.description("Token requests refused, by reason")
			.tag("reason", reason)
			.register(this.meters)
			.increment();
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = (exception instanceof OAuth2AuthenticationException oauth) ? oauth.getError()
				: new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
		count(error, exception);
		boolean invalidClient = OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode());
		response.setStatus(invalidClient ? HttpServletResponse.SC_UNAUTHORIZED : HttpServletResponse.SC_BAD_REQUEST);
		if (invalidClient) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"servinglayer\"");
		}
		if (exception instanceof ClientSecretCheck.ClientRefusedException refused && refused.retryAfterSeconds() > 0) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", error.getErrorCode());
		if (error.getDescription() != null) {
			body.put("error_description", error.getDescription());
		}
		response.getOutputStream().write(this.json.writeValueAsBytes(body));
	}

}
