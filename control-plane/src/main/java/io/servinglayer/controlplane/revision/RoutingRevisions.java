package io.servinglayer.controlplane.revision;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The routing revision: one number that grows by one with every committed change the data
 * plane routes by. A change bumps it inside its own transaction; the bump locks the
 * single revision row until that transaction ends, so concurrent writers (on any replica)
 * commit their revisions in order and none is skipped. After the commit the new revision
 * is announced.
 */
@Component
public class RoutingRevisions {

	private final JdbcClient jdbc;

	private final RevisionAnnouncer announcer;

	private final Clock clock;

	RoutingRevisions(JdbcClient jdbc, RevisionAnnouncer announcer, Clock clock) {
		this.jdbc = jdbc;
		this.announcer = announcer;
		this.clock = clock;
	}

	/** Bumps the revision in the caller's transaction; the new revision. */
	@Transactional(propagation = Propagation.MANDATORY)
	public long bump() {
		long revision = this.jdbc
			.sql("UPDATE routing_state SET revision = revision + 1, changed_at = ? WHERE id = 1 RETURNING revision")
			.param(OffsetDateTime.now(this.clock).withOffsetSameInstant(ZoneOffset.UTC))
			.query(Long.class)
			.single();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				RoutingRevisions.this.announcer.announce(revision);
			}

		});
		return revision;
	}

	/** The newest committed revision. */
	public long current() {
		return this.jdbc.sql("SELECT revision FROM routing_state WHERE id = 1").query(Long.class).single();
	}

}
