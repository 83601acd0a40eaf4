package io.servinglayer.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback a machine without Docker and without configured servers takes: real
 * PostgreSQL and Redis binaries from Maven Central. Started here whatever the environment
 * says, so the fallback is known to work on the machines CI runs on.
 */
class EmbeddedServersIntegrationTests {

	@Test
	void embeddedPostgresAnswersQueries() throws Exception {
		TestPostgres.Server server = TestPostgres.startEmbedded();
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(server.adminDatabase()),
				server.username(), server.password());
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
			rows.next();
			assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(140000);
		}
		finally {
			server.stop().run();
		}
	}

	@Test
	void embeddedRedisAnswersCommands() {
		TestRedis redis = TestRedis.startEmbedded();
		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost(redis.host())
			.withPort(redis.port())
			.withTimeout(Duration.ofSeconds(2))
			.build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			String key = redis.newKeyPrefix() + "k";
			connection.sync().set(key, "v");
			assertThat(connection.sync().get(key)).isEqualTo("v");
		}
		finally {
			client.shutdown();
			redis.cleanUp();
		}
	}

}
