package io.servinglayer.controlplane.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.servinglayer.controlplane.lockout.Lockouts;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Checks a console sign-in (the login form's username and password) against the user
 * store, with the lockout API clients have: after repeated failures a username is refused
 * from that address, without its password being looked at, until the lock ends (30 s by
 * default, doubling with each further failure up to 15 min). A disabled user is refused
 * (and the refusal audited as {@code disabled}) like a wrong password, from the same
 * login page. Each attempt is audited once, here.
 */
@Component
public class ConsoleSignIn implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final Lockouts lockouts;

	private final UserProperties settings;

	private final LoginAudit audit;

	private final Clock clock;

	ConsoleSignIn(UserAccounts users, Lockouts lockouts, UserProperties settings, LoginAudit audit, Clock clock) {
		this.passwords = new DaoAuthenticationProvider(users);
		this.passwords.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
		this.lockouts = lockouts;
		this.settings = settings;
		this.audit = audit;
		this.clock = clock;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String username = String.valueOf(authentication.getName());
		String source = (authentication.getDetails() instanceof WebAuthenticationDetails details
				&& details.getRemoteAddress() != null) ? details.getRemoteAddress() : "unknown";
		Instant now = this.clock.instant();
		Optional<Duration> locked = this.lockouts.lockedFor(Lockouts.Kind.USER, username, source, now);
		if (locked.isPresent()) {
			long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
			this.audit.failed(username, source, "locked", Map.of());
			throw new SignInLockedException(seconds);
		}
		Authentication result;
		try {
			result = this.passwords.authenticate(authentication);
		}
		catch (BadCredentialsException ex) {
			// A wrong password, or a user that does not exist: counted alike.
			Lockouts.Failure failure = this.lockouts.recordFailure(Lockouts.Kind.USER, username, source, now,
					this.settings.lockout());
			this.audit.failed(username, source, "bad-credentials", Map.of("consecutiveFailures",
					failure.consecutiveFailures(), "lockedForSeconds", failure.lockedFor().toSeconds()));
			throw ex;
		}
		catch (DisabledException ex) {
			this.audit.failed(username, source, "disabled", Map.of());
			throw ex;
		}
		catch (AuthenticationException ex) {
			this.audit.failed(username, source, ex.getClass().getSimpleName(), Map.of());
			throw ex;
		}
		this.lockouts.clear(Lockouts.Kind.USER, username, source);
		this.audit.succeeded(username, source);
		return result;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
