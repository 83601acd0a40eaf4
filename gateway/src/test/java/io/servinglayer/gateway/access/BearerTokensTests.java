package io.servinglayer.gateway.access;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BearerTokensTests {

	/** Spring Security's own rule for the header, which the loop must agree with. */
	private static final Pattern SPRING_RULE = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$",
			Pattern.CASE_INSENSITIVE);

	private static final String[] HEADERS = { "Bearer abc.DEF-ghi_jkl~mno+pqr/stu", "Bearer abc==", "bearer abc",
			"BEARER abc", "Bearer =", "Bearer ", "Bearer a=b", "Bearer a b", "Bearer a\tb", "Bearer é", "Basic abc",
			"Bearer", "Bearerabc", "Bearer abc=", "Bearer  abc" };

	@Test
	void takesExactlyTheTokensSpringSecuritysRuleTakes() {
		for (String header : HEADERS) {
			boolean spring = SPRING_RULE.matcher(header).matches();
			boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7);
			if (spring) {
				assertThat(BearerTokens.token(header).getToken()).as(header).isEqualTo(header.substring(7));
			}
			else if (bearer) {
				assertThatExceptionOfType(OAuth2AuthenticationException.class).as(header)
					.isThrownBy(() -> BearerTokens.token(header));
			}
			else {
				assertThat(BearerTokens.token(header)).as(header).isNull();
			}
		}
		assertThat(BearerTokens.token(null)).isNull();
	}

	@Test
	void acceptsExactlyTheHeaderValuesTheStrictFirewallAccepts() {
		String[] values = { "plain", "Bearer eyJ.abc", "", "tab\there", "new\nline", "nul\u0000", "del\u007f",
				"caf\u00e9", "\u00a0nbsp", "emoji \ud83d\ude00", "unassigned \u0378", "lone \ud800 surrogate",
				"c1 \u0085" };
		HeaderValues loop = new HeaderValues();
		for (String value : values) {
			assertThat(loop.test(value)).as(value)
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(value));
		}
	}

}
