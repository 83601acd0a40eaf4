package io.servinglayer.controlplane.signingkey;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.servinglayer.controlplane.audit.AuditLog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token signing keys, kept in PostgreSQL so that every replica signs with the same
 * key and a restart invalidates no token. Tokens are signed with the current key; the
 * JWKS publishes the current and the previous key, so a rotation does not break tokens
 * signed just before it. Each replica re-reads the keys every few seconds, which bounds
 * how long it takes a rotation made on another replica to reach it.
 * <p>
 * A key's private part is stored encrypted under the key-encryption key from the
 * configuration ({@link KeyEncryptionKeys}); the {@code jwk} column holds only the public
 * key. At start, keys still in plain text (written before encryption at rest) or under a
 * previous key-encryption key are encrypted under the current one.
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext> {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeys.class);

	private static final Duration REFRESH = Duration.ofSeconds(5);

	/** Any 64-bit number: serialises key creation across replicas. */
	private static final long LOCK = 0x5e41_6e17_4b65_79L;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final AuditLog audit;

	private final KeyEncryptionKeys keks;

	private final Clock clock;

	private volatile Loaded loaded;

	private final java.util.concurrent.locks.ReentrantLock refreshing = new java.util.concurrent.locks.ReentrantLock();

	SigningKeys(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, KeyEncryptionKeys keks,
			Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.audit = audit;
		this.keks = keks;
		this.clock = clock;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		return selector.select(keys().jwks());
	}

	/** The id of the key new tokens are signed with. */
	public String currentKeyId() {
		return keys().currentKeyId();
	}

	/**
	 * Makes a new key current; the current one becomes the previous one and the previous
	 * one is retired (no longer published, so tokens it signed stop validating).
	 */
	public Rotation rotate() {
		Rotation rotation = this.transactions.execute((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, row) -> 1).list();
			Instant now = this.clock.instant();
			String retired = this.jdbc
				.sql("UPDATE signing_key SET state = 'RETIRED', retired_at = ? WHERE state = 'PREVIOUS' RETURNING kid")
				.param(utc(now))
				.query(String.class)
				.optional()
				.orElse(null);
			String previous = this.jdbc
				.sql("UPDATE signing_key SET state = 'PREVIOUS' WHERE state = 'CURRENT' RETURNING kid")
				.query(String.class)
				.optional()
				.orElse(null);
			String current = insertNewKey(now);
			Rotation result = new Rotation(current, previous, retired);
			this.audit.record("signing-key.rotated", "signing-key", current, null, result);
			return result;
		});
		this.loaded = null;
		return rotation;
	}

	/**
	 * Creates the first key if there is none; safe when several replicas start at once.
	 */
	void ensureKey() {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, row) -> 1).list();
			long current = this.jdbc.sql("SELECT count(*) FROM signing_key WHERE state = 'CURRENT'")
				.query(Long.class)
				.single();
			if (current == 0) {
				insertNewKey(this.clock.instant());
			}
		});
	}

	/**
	 * Encrypts under the current key-encryption key every key that is not yet: keys in
	 * plain text from before encryption at rest, and keys under a previous key-encryption
	 * key. Safe when several replicas start at once.
	 * @return how many keys were (re-)encrypted
	 * @throws IllegalStateException when a key is under a key-encryption key that is not
	 * configured, or does not decrypt: the control plane must not start then
	 */
	int encryptAtRest() {
		Integer count = this.transactions.execute((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, row) -> 1).list();
			List<StoredKey> stale = this.jdbc
				.sql("SELECT kid, state, jwk, private_jwk, kek_id FROM signing_key "
						+ "WHERE kek_id IS NULL OR kek_id <> ? ORDER BY kid")
				.param(this.keks.currentId())
				.query(SigningKeys::storedKey)
				.list();
			for (StoredKey key : stale) {
				JWK jwk = privateKey(key);
				this.jdbc.sql("UPDATE signing_key SET jwk = ?, private_jwk = ?, kek_id = ? WHERE kid = ?")
					.params(jwk.toPublicJWK().toJSONString(), encrypt(jwk), this.keks.currentId(), key.kid())
					.update();
			}
			return stale.size();
		});
		this.loaded = null;
		return (count != null) ? count : 0;
	}

	private String insertNewKey(Instant now) {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyID(UUID.randomUUID().toString())
				.generate();
			this.jdbc
				.sql("INSERT INTO signing_key (kid, state, jwk, private_jwk, kek_id, created_at) "
						+ "VALUES (?, 'CURRENT', ?, ?, ?, ?)")
				.params(key.getKeyID(), key.toPublicJWK().toJSONString(), encrypt(key), this.keks.currentId(), utc(now))
				.update();
			return key.getKeyID();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("could not generate an RSA signing key", ex);
		}
	}

	private Loaded keys() {
		Loaded current = this.loaded;
		Instant now = this.clock.instant();
		if (current == null || now.isAfter(current.loadedAt().plus(REFRESH))) {
			Loaded stale = current;
			// One request re-reads the keys; the others verify with the ones held
			// meanwhile,
			// so a slow or hung database holds up one request, not all of them.
			if (stale != null && !this.refreshing.tryLock()) {
				return stale;
			}
			if (stale == null) {
				this.refreshing.lock();
			}
			try {
				current = load(now);
				if (current.currentKeyId() == null) {
					ensureKey();
					current = load(now);
				}
			}
			catch (DataAccessException | TransactionException ex) {
				if (stale == null) {
					throw ex;
				}
				// The keys held still verify every token they verified a moment ago: a
				// database outage must not turn valid tokens into 401s. Tried again a
				// refresh interval later, so requests do not queue on the database.
				logger.warn("Could not re-read the signing keys; verifying with the ones held: {}", ex.getMessage());
				current = new Loaded(stale.jwks(), stale.currentKeyId(), now);
			}
			finally {
				this.refreshing.unlock();
			}
			this.loaded = current;
		}
		return current;
	}

	private Loaded load(Instant now) {
		List<JWK> keys = new ArrayList<>();
		String currentKid = null;
		for (StoredKey stored : this.jdbc
			.sql("SELECT kid, state, jwk, private_jwk, kek_id FROM signing_key WHERE state <> 'RETIRED' ORDER BY state")
			.query(SigningKeys::storedKey)
			.list()) {
			keys.add(privateKey(stored));
			if (stored.state().equals("CURRENT")) {
				currentKid = stored.kid();
			}
		}
		return new Loaded(new JWKSet(keys), currentKid, now);
	}

	/**
	 * The whole key, private part included, decrypted (or as is, from before encryption).
	 */
	private JWK privateKey(StoredKey stored) {
		String json;
		if (stored.kekId() == null) {
			json = stored.jwk();
		}
		else {
			try {
				json = new String(this.keks.decrypt(stored.privateJwk(), stored.kekId(), stored.kid()),
						StandardCharsets.UTF_8);
			}
			catch (KeyEncryptionKeys.UndecryptableException ex) {
				throw new IllegalStateException("Signing key " + stored.kid() + " " + ex.getMessage(), ex);
			}
		}
		try {
			JWK jwk = JWK.parse(json);
			if (!jwk.isPrivate()) {
				throw new IllegalStateException("signing key " + stored.kid() + " in the database has no private part");
			}
			return jwk;
		}
		catch (ParseException ex) {
			throw new IllegalStateException("signing key " + stored.kid() + " in the database is not a valid JWK", ex);
		}
	}

	private byte[] encrypt(JWK key) {
		return this.keks.encrypt(key.toJSONString().getBytes(StandardCharsets.UTF_8), key.getKeyID());
	}

	private static StoredKey storedKey(ResultSet rs, int row) throws SQLException {
		return new StoredKey(rs.getString("kid"), rs.getString("state"), rs.getString("jwk"),
				rs.getBytes("private_jwk"), rs.getString("kek_id"));
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * The outcome of a rotation: the new current key, the now-previous one and the
	 * retired one.
	 */
	public record Rotation(String currentKeyId, String previousKeyId, String retiredKeyId) {
	}

	private record StoredKey(String kid, String state, String jwk, byte[] privateJwk, String kekId) {
	}

	private record Loaded(JWKSet jwks, String currentKeyId, Instant loadedAt) {
	}

}
