package io.servinglayer.controlplane.user;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import io.servinglayer.controlplane.client.BootstrapProperties;
import io.servinglayer.controlplane.system.CurrentActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first user, an admin, on a database without users, so a fresh installation
 * can be signed in to at all. Runs under an advisory lock, so replicas starting together
 * create it once; the user is made and audited as {@value #ACTOR}.
 */
@Component
@Order(0)
class FirstAdmin implements ApplicationRunner {

	static final String ACTOR = "system:bootstrap";

	private static final Logger logger = LoggerFactory.getLogger(FirstAdmin.class);

	private static final long LOCK = 0x5e41_b007_05e5L;

	private final BootstrapProperties properties;

	private final UserService users;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final CurrentActor actor;

	FirstAdmin(BootstrapProperties properties, UserService users, JdbcClient jdbc, TransactionTemplate transactions,
			CurrentActor actor) {
		this.properties = properties;
		this.users = users;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.actor = actor;
	}

	@Override
	public void run(ApplicationArguments args) {
		String username = this.properties.adminUsername();
		String configured = this.properties.adminPassword();
		boolean generated = configured == null || configured.isBlank();
		String password = generated ? generatePassword() : configured;
		Boolean created = this.actor.as(ACTOR, () -> this.transactions.execute((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, row) -> 1).list();
			if (this.users.anyUser()) {
				return false;
			}
			this.users.create(username, password, List.of(Role.ADMIN));
			return true;
		}));
		if (!Boolean.TRUE.equals(created)) {
			return;
		}
		if (generated) {
			// Standard output, not the log: the password is shown this once and never
			// logged; printed after the commit, so it is never one that was not kept.
			System.out.println();
			System.out.println("Created the admin user '" + username + "' with the generated password: " + password);
			System.out.println(
					"It is not shown again. Set servinglayer.control-plane.bootstrap.admin-password to choose one.");
			System.out.println();
		}
		else {
			logger.info("Created the admin user '{}' with the configured password", username);
		}
	}

	private static String generatePassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
