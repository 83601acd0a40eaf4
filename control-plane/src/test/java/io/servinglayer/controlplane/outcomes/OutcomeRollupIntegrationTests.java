package io.servinglayer.controlplane.outcomes;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.servinglayer.controlplane.AdminApi;
import io.servinglayer.controlplane.ControlPlaneIntegrationTest;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.leader.LeaderLease;
import io.servinglayer.controlplane.system.RedisNamespace;
import io.servinglayer.testsupport.MutableClock;
import io.servinglayer.testsupport.TestModels;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The roll-up against real Redis and PostgreSQL: buckets written in the gateway's layout
 * are copied per minute, and a window reads the copy once Redis no longer has them.
 */
@ControlPlaneIntegrationTest
class OutcomeRollupIntegrationTests {

	@Autowired
	AdminApi api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisNamespace namespace;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JsonMapper json;

	@Autowired
	DeploymentService deployments;

	@Autowired
	LeaderLease lease;

	@Test
	void minutesAreCopiedIntoPostgresAndAWindowStillAddsUpAfterRedisLetsThemGo() throws Exception {
		assertThat(this.api.postJson("/api/v1/models", "{\"name\":\"rolled\"}").status()).isEqualTo(201);
		assertThat(this.api.upload("rolled", Files.readAllBytes(TestModels.fraudClassifier()), null).status())
			.isEqualTo(201);
		assertThat(this.api
			.send(this.api.request("/api/v1/deployments/rolled")
				.header("Content-Type", "application/json")
				.PUT(java.net.http.HttpRequest.BodyPublishers
					.ofString("{\"model\": \"rolled\", \"stableVersion\": 1}")))
			.status()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(20)).until(this.lease::isLeader);
		OutcomeProperties properties = new OutcomeProperties(Duration.ofSeconds(10), Duration.ofHours(2),
				java.util.List.of(25, 50, 100, 200, 500, 1000, 2500, 5000), Duration.ofSeconds(15),
				Duration.ofSeconds(30), Duration.ofDays(91));
		long now = Instant.now().getEpochSecond();
		long minute = now - Math.floorMod(now, 60) - 180;
		MutableClock clock = new MutableClock(Instant.ofEpochSecond(minute + 240));
		// Two buckets in one minute, one in the next.
		bucket(minute, Map.of("count", "10", "errors", "1", "le_25", "9", "le_inf", "1"));
		bucket(minute + 30, Map.of("count", "5", "errors", "0", "le_50", "5"));
		bucket(minute + 60, Map.of("count", "4", "errors", "2", "timeouts", "1", "le_100", "4"));
		OutcomeBuckets buckets = new OutcomeBuckets(this.redis, this.namespace, properties);
		OutcomeHistory history = new OutcomeHistory(buckets, this.jdbc, properties);
		OutcomeRollup rollup = new OutcomeRollup(buckets, history, this.deployments, this.lease, this.jdbc,
				this.transactions, this.json, properties, clock);

		Instant end = rollup.rollUp();

		assertThat(end).isEqualTo(Instant.ofEpochSecond(minute + 180));
		assertThat(this.jdbc.sql("SELECT requests FROM outcome_minute WHERE deployment = 'rolled' ORDER BY minute")
			.query(Long.class)
			.list()).containsExactly(15L, 4L);
		OutcomeCounts expected = new OutcomeCounts(19, 3, 1,
				Map.of("le_25", 9L, "le_50", 5L, "le_100", 4L, "le_inf", 1L));
		Instant from = Instant.ofEpochSecond(minute - 600);
		assertThat(history.over("rolled", 1, from, clock.instant())).isEqualTo(expected);

		this.redis.delete(this.redis.keys(this.namespace.key("outcomes:rolled:*")));

		assertThat(history.over("rolled", 1, from, clock.instant())).isEqualTo(expected);
		assertThat(history.recent("rolled", 1, from, clock.instant())).isEqualTo(OutcomeCounts.NONE);
	}

	@Test
	void beforeAnyRollUpAWindowOfWeeksReadsRedisOnlyOverTheHoursItKeepsBuckets() {
		OutcomeProperties properties = new OutcomeProperties(Duration.ofSeconds(10), Duration.ofHours(2),
				java.util.List.of(25, 50, 100, 200, 500, 1000, 2500, 5000), Duration.ofSeconds(15),
				Duration.ofSeconds(30), Duration.ofDays(91));
		OutcomeHistory history = new OutcomeHistory(new OutcomeBuckets(this.redis, this.namespace, properties),
				this.jdbc, properties);
		long now = Instant.now().getEpochSecond();
		long bucket = now - Math.floorMod(now, 10);
		// One bucket the gateways wrote a minute ago, and one older than Redis keeps them
		// (left here by hand; a gateway's would have expired).
		this.redis.opsForHash().putAll(this.namespace.key("outcomes:weeks:1:" + (bucket - 60)), Map.of("count", "7"));
		this.redis.opsForHash()
			.putAll(this.namespace.key("outcomes:weeks:1:" + (bucket - 3 * 3600)), Map.of("count", "100"));
		Instant to = Instant.ofEpochSecond(now);
		Instant from = to.minus(Duration.ofDays(28));

		OutcomeCounts counts = this.transactions.execute((status) -> {
			// As before the first roll-up: nothing copied into PostgreSQL yet (rolled
			// back
			// after).
			this.jdbc.sql("DELETE FROM outcome_rollup_state").update();
			OutcomeCounts read = history.over("weeks", 1, from, to);
			status.setRollbackOnly();
			return read;
		});

		assertThat(counts.requests()).isEqualTo(7);
	}

	private void bucket(long start, Map<String, String> fields) {
		this.redis.opsForHash().putAll(this.namespace.key("outcomes:rolled:1:" + start), fields);
	}

}
