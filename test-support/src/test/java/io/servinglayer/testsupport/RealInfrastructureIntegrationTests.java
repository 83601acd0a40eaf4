package io.servinglayer.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

class RealInfrastructureIntegrationTests {

	private final RealInfrastructureContextCustomizerFactory factory = new RealInfrastructureContextCustomizerFactory();

	@Test
	void twoTestClassesGetTwoDatabasesThatDoNotSeeEachOther() throws Exception {
		Environment first = customize(FirstClass.class);
		Environment second = customize(SecondClass.class);
		assertThat(first.getProperty("spring.datasource.url"))
			.isNotEqualTo(second.getProperty("spring.datasource.url"));

		execute(first, "CREATE TABLE marker (id int)");
		try (Connection connection = connect(second);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")) {
			rows.next();
			assertThat(rows.getInt(1)).isZero();
		}
	}

	@Test
	void twoTestClassesGetTwoRedisKeyPrefixesOnAWorkingServer() {
		Environment first = customize(FirstClass.class);
		Environment second = customize(SecondClass.class);
		String firstPrefix = first.getProperty("servinglayer.redis.key-prefix");
		assertThat(firstPrefix).isNotEqualTo(second.getProperty("servinglayer.redis.key-prefix"));

		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost(first.getProperty("spring.data.redis.host"))
			.withPort(first.getProperty("spring.data.redis.port", Integer.class))
			.withTimeout(Duration.ofSeconds(2))
			.build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().set(firstPrefix + "marker", "1");
			assertThat(connection.sync().get(firstPrefix + "marker")).isEqualTo("1");
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void theSameTestClassGetsAnEqualCustomizerSoSpringCachesItsContext() {
		assertThat(this.factory.createContextCustomizer(FirstClass.class, List.of()))
			.isEqualTo(this.factory.createContextCustomizer(FirstClass.class, List.of()))
			.isNotEqualTo(this.factory.createContextCustomizer(SecondClass.class, List.of()));
		assertThat(this.factory.createContextCustomizer(Unannotated.class, List.of())).isNull();
	}

	private Environment customize(Class<?> testClass) {
		ContextCustomizer customizer = this.factory.createContextCustomizer(testClass, List.of());
		GenericApplicationContext context = new GenericApplicationContext();
		customizer.customizeContext(context, null);
		return context.getEnvironment();
	}

	private static void execute(Environment environment, String sql) throws Exception {
		try (Connection connection = connect(environment); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static Connection connect(Environment environment) throws Exception {
		return DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
				environment.getProperty("spring.datasource.username"),
				environment.getProperty("spring.datasource.password"));
	}

	@WithPostgres
	@WithRedis
	static class FirstClass {

	}

	@WithPostgres
	@WithRedis
	static class SecondClass {

	}

	static class Unannotated {

	}

}
