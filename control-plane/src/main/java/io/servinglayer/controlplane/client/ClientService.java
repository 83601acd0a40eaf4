package io.servinglayer.controlplane.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.servinglayer.contracts.RoutingSnapshot;
import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.lockout.Lockouts;
import io.servinglayer.controlplane.revision.RoutingRevisions;
import io.servinglayer.controlplane.system.CurrentActor;
import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.Page;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Manages API clients and checks their secrets. Audit events record what changed about a
 * client, never a secret or its hash.
 */
@Service
public class ClientService {

	private final ClientRepository clients;

	private final ClientSecrets secrets;

	private final AuditLog audit;

	private final CurrentActor actor;

	private final TransactionTemplate transactions;

	private final ClientProperties settings;

	private final RoutingRevisions revisions;

	private final Lockouts lockouts;

	private final Clock clock;

	ClientService(ClientRepository clients, ClientSecrets secrets, AuditLog audit, CurrentActor actor,
			TransactionTemplate transactions, ClientProperties settings, RoutingRevisions revisions, Lockouts lockouts,
			Clock clock) {
		this.clients = clients;
		this.secrets = secrets;
		this.audit = audit;
		this.actor = actor;
		this.transactions = transactions;
		this.settings = settings;
		this.revisions = revisions;
		this.lockouts = lockouts;
		this.clock = clock;
	}

	ClientCredentials create(CreateClientRequest request) {
		request.validate();
		String secret = this.secrets.generate();
		ApiClient created = create(request, secret);
		return new ClientCredentials(created.clientId(), secret, null, ClientResponse.of(created));
	}

	/**
	 * Creates a client with a secret chosen by the caller: for bootstrap, never for the
	 * API.
	 */
	ApiClient create(CreateClientRequest request, String secret) {
		RatePlan plan = (request.ratePlan() != null) ? request.ratePlan() : RatePlan.DEFAULT;
		String hash = this.secrets.hash(secret);
		return this.transactions.execute((status) -> {
			if (!this.clients.insert(request.clientId(), (request.description() != null) ? request.description() : "",
					request.tenant(), List.copyOf(request.scopes()), plan, hash, this.actor.name(), now())) {
				throw new ClientExistsException(request.clientId());
			}
			ApiClient client = this.clients.find(request.clientId()).orElseThrow();
			this.revisions.bump();
			this.audit.record("client.created", "client", client.clientId(), null, ClientResponse.of(client));
			return client;
		});
	}

	/**
	 * Every client's routing facts, for the routing snapshot; read in the caller's
	 * transaction.
	 */
	public List<RoutingSnapshot.Client> routes() {
		return this.clients.all()
			.stream()
			.map((client) -> new RoutingSnapshot.Client(client.clientId(), client.tenant(), client.scopes(),
					route(client.ratePlan()), client.disabled()))
			.toList();
	}

	private static RoutingSnapshot.RatePlan route(RatePlan plan) {
		return (plan != null) ? new RoutingSnapshot.RatePlan(plan.requestsPerSecond(), plan.burst(), plan.dailyQuota())
				: null;
	}

	boolean exists(String clientId) {
		return this.clients.find(clientId).isPresent();
	}

	ApiClient get(String clientId) {
		return this.clients.find(clientId).orElseThrow(() -> new ClientNotFoundException(clientId));
	}

	/** The client, for issuing it a token; empty when there is none. */
	Optional<ApiClient> find(String clientId) {
		return this.clients.find(clientId);
	}

	Page<ApiClient> list(Integer pageSize, String pageToken) {
		int size = Page.size(pageSize);
		return Page.of(this.clients.list(Page.decode(pageToken), size + 1), size, ApiClient::clientId);
	}

	ApiClient update(String clientId, String ifMatch, UpdateClientRequest request) {
		request.validate();
		return this.transactions.execute((status) -> {
			ApiClient current = locked(clientId);
			EntityTags.requireMatch(ifMatch, current.entityTag(), "client '" + clientId + "'");
			this.clients.update(clientId,
					(request.description() != null) ? request.description() : current.description(),
					(request.tenant() != null) ? request.tenant() : current.tenant(),
					(request.scopes() != null) ? List.copyOf(request.scopes()) : current.scopes(),
					(request.ratePlan() != null) ? request.ratePlan() : current.ratePlan(), now());
			ApiClient updated = this.clients.find(clientId).orElseThrow();
			this.revisions.bump();
			this.audit.record("client.updated", "client", clientId, ClientResponse.of(current),
					ClientResponse.of(updated));
			return updated;
		});
	}

	/**
	 * Gives the client a new secret; the old one keeps working for the configured grace
	 * period.
	 */
	ClientCredentials rotateSecret(String clientId) {
		String secret = this.secrets.generate();
		String hash = this.secrets.hash(secret);
		return this.transactions.execute((status) -> {
			ApiClient current = locked(clientId);
			Instant now = now();
			Instant previousExpiresAt = now.plus(this.settings.secretRotationGrace());
			this.clients.rotateSecret(clientId, hash, previousExpiresAt, now);
			ApiClient rotated = this.clients.find(clientId).orElseThrow();
			this.audit.record("client.secret-rotated", "client", clientId, ClientResponse.of(current),
					ClientResponse.of(rotated));
			return new ClientCredentials(clientId, secret, previousExpiresAt, ClientResponse.of(rotated));
		});
	}

	ApiClient setDisabled(String clientId, boolean disabled) {
		return this.transactions.execute((status) -> {
			ApiClient current = locked(clientId);
			if (current.disabled() == disabled) {
				return current;
			}
			this.clients.setDisabled(clientId, disabled ? now() : null, now());
			ApiClient changed = this.clients.find(clientId).orElseThrow();
			this.revisions.bump();
			this.audit.record(disabled ? "client.disabled" : "client.enabled", "client", clientId,
					ClientResponse.of(current), ClientResponse.of(changed));
			return changed;
		});
	}

	/**
	 * Checks a token request's secret. A client id with too many consecutive failures
	 * from {@code source} is refused from there without looking at the secret until its
	 * lock ends; an unknown client id is counted, locked and answered exactly like a
	 * known one with a wrong secret, after the same bcrypt work, so neither the answer
	 * nor its timing tells which ids exist. Every refusal is audited.
	 * @param source the caller's address: failures are counted per client id and address
	 * @return the client when the secret is right and the client may have a token
	 * @throws ClientAuthenticationException otherwise, with a reason safe to show the
	 * caller
	 */
	ApiClient authenticate(String clientId, String secret, String source) {
		Instant now = this.clock.instant();
		Optional<Duration> locked = this.lockouts.lockedFor(Lockouts.Kind.CLIENT, clientId, source, now);
		if (locked.isPresent()) {
			long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
			refuse(clientId, source, "locked");
			throw new ClientAuthenticationException(
					"Too many failed attempts for this client; try again in " + seconds + " seconds", seconds);
		}
		ApiClient client = this.clients.find(clientId).orElse(null);
		if (client == null) {
			this.secrets.matchesNone(secret);
			recordFailure(clientId, source, now, false);
			throw new ClientAuthenticationException("Client authentication failed");
		}
		boolean current = this.secrets.matches(secret, client.secretHash());
		boolean previous = !current && client.previousSecretExpiresAt() != null
				&& now.isBefore(client.previousSecretExpiresAt())
				&& this.secrets.matches(secret, client.previousSecretHash());
		if (!current && !previous) {
			recordFailure(clientId, source, now, true);
			throw new ClientAuthenticationException("Client authentication failed");
		}
		if (client.disabled()) {
			refuse(clientId, source, "disabled");
			throw new ClientAuthenticationException("This client is disabled");
		}
		this.transactions.executeWithoutResult((status) -> {
			this.lockouts.clear(Lockouts.Kind.CLIENT, clientId, source);
			if (client.failedAttempts() > 0) {
				this.clients.clearFailures(clientId);
			}
		});
		return client;
	}

	/**
	 * Counts the failure for the client id and address. For a client that exists, its row
	 * also shows the latest lock from any address ({@code lockedUntil} in the API).
	 */
	private void recordFailure(String clientId, String source, Instant now, boolean known) {
		this.transactions.executeWithoutResult((status) -> {
			Lockouts.Failure failure = this.lockouts.recordFailure(Lockouts.Kind.CLIENT, clientId, source, now,
					this.settings.lockout());
			if (known) {
				this.clients.recordFailure(clientId);
				if (!failure.lockedFor().isZero()) {
					this.clients.lockUntil(clientId, now.plus(failure.lockedFor()));
				}
			}
			this.audit.record("token.denied", "client", clientId, null,
					Map.of("reason", known ? "bad-secret" : "unknown-client", "source", source, "consecutiveFailures",
							failure.consecutiveFailures(), "lockedForSeconds", failure.lockedFor().toSeconds()));
		});
	}

	private void refuse(String clientId, String source, String reason) {
		this.transactions.executeWithoutResult((status) -> this.audit.record("token.denied", "client", clientId, null,
				Map.of("reason", reason, "source", source)));
	}

	private ApiClient locked(String clientId) {
		return this.clients.findForUpdate(clientId).orElseThrow(() -> new ClientNotFoundException(clientId));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
