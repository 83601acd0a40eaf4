package io.servinglayer.controlplane.client;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the configured bootstrap clients that do not exist yet. Runs under an advisory
 * lock, so replicas starting together create each client once. (The first admin user is
 * made by the user feature.)
 */
@Component
@Order(1)
class Bootstrap implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(Bootstrap.class);

	private static final long LOCK = 0x5e41_b007_57a9L;

	private final BootstrapProperties properties;

	private final ClientService clients;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	Bootstrap(BootstrapProperties properties, ClientService clients, JdbcClient jdbc,
			TransactionTemplate transactions) {
		this.properties = properties;
		this.clients = clients;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, row) -> 1).list();
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

}
