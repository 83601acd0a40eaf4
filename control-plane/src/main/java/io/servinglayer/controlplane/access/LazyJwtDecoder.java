package io.servinglayer.controlplane.access;

import java.util.function.Supplier;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Builds a decoder on first use, so an external issuer that is down when the control
 * plane starts delays only its own tokens; a failed discovery is retried on the next
 * token.
 */
final class LazyJwtDecoder implements JwtDecoder {

	private final Supplier<JwtDecoder> factory;

	private volatile JwtDecoder decoder;

	LazyJwtDecoder(Supplier<JwtDecoder> factory) {
		this.factory = factory;
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		JwtDecoder current = this.decoder;
		if (current == null) {
			synchronized (this) {
				current = this.decoder;
				if (current == null) {
					try {
						current = this.factory.get();
					}
					catch (RuntimeException ex) {
						throw new JwtException("could not reach the token's issuer: " + ex.getMessage(), ex);
					}
					this.decoder = current;
				}
			}
		}
		return current.decode(token);
	}

}
