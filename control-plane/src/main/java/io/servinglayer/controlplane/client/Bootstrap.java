package io.servinglayer.controlplane.client;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.audit.AuditLog;
import io.servinglayer.controlplane.user.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first admin user on an empty database, and the configured bootstrap clients
 * that do not exist yet. Runs under an advisory lock, so replicas starting together
 * create each thing once.
 */
@Component
@Order(1)
class Bootstrap implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(Bootstrap.class);

	private static final long LOCK = 0x5e41_b007_57a9L;

	private final BootstrapProperties properties;

	private final ClientService clients;

	private final JdbcClient jdbc;

	private final UserAccounts users;

	private final TransactionTemplate transactions;

	private final AuditLog audit;

	private final Clock clock;

	Bootstrap(BootstrapProperties properties, ClientService clients, UserAccounts users, JdbcClient jdbc,
			TransactionTemplate transactions, AuditLog audit, Clock clock) {
		this.properties = properties;
		this.clients = clients;
		this.jdbc = jdbc;
		this.users = users;
		this.transactions = transactions;
		this.audit = audit;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, row) -> 1).list();
			createAdminUserIfNoUser();
			for (BootstrapProperties.BootstrapClient client : this.properties.clients()) {
				if (client.clientId() == null || client.secret() == null || client.secret().length() < 16) {
					throw new IllegalStateException(
							"servinglayer.control-plane.bootstrap.clients needs a clientId and a "
									+ "secret of at least 16 characters for each client; check " + client);
				}
				if (!this.clients.exists(client.clientId())) {
					CreateClientRequest request = new CreateClientRequest(client.clientId(), client.description(),
							client.scopes(), client.tenant(), client.ratePlan());
					request.validate();
					this.clients.create(request, client.secret());
					logger.info("Created bootstrap client '{}' with scopes {}", client.clientId(), client.scopes());
				}
			}
		});
	}

	private void createAdminUserIfNoUser() {
		if (this.users.anyUser()) {
			return;
		}
		String password = this.properties.adminPassword();
		boolean generated = password == null || password.isBlank();
		if (generated) {
			byte[] bytes = new byte[18];
			new SecureRandom().nextBytes(bytes);
			password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		}
		this.users.create(this.properties.adminUsername(), password, List.of(Scopes.ADMIN), this.clock.instant());
		this.audit.record("user.created", "user", this.properties.adminUsername(), null,
				Map.of("username", this.properties.adminUsername(), "scopes", List.of(Scopes.ADMIN)));
		if (generated) {
			// Standard output, not the log: the password is shown this once and never
			// logged.
			System.out.println();
			System.out.println("Created the admin user '" + this.properties.adminUsername()
					+ "' with the generated password: " + password);
			System.out.println(
					"It is not shown again. Set servinglayer.control-plane.bootstrap.admin-password to choose one.");
			System.out.println();
		}
		else {
			logger.info("Created the admin user '{}' with the configured password", this.properties.adminUsername());
		}
	}

}
