package io.servinglayer.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points a test class annotated {@link WithPostgres} or {@link WithRedis} at a database
 * and key prefix of its own. The customizer is equal only for the same test class, so
 * Spring's context cache never hands one class's database to another.
 */
class RealInfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		boolean postgres = TestContextAnnotationUtils.hasAnnotation(testClass, WithPostgres.class);
		boolean redis = TestContextAnnotationUtils.hasAnnotation(testClass, WithRedis.class);
		return (postgres || redis) ? new Customizer(testClass, postgres, redis) : null;
	}

	private record Customizer(Class<?> testClass, boolean postgres, boolean redis) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Map<String, Object> properties = new LinkedHashMap<>();
			if (this.postgres) {
				TestPostgres.Database database = TestPostgres.get().createDatabase();
				properties.put("spring.datasource.url", database.jdbcUrl());
				properties.put("spring.datasource.username", database.username());
				properties.put("spring.datasource.password", database.password());
				// Test servers are shared by many contexts and runs: keep each context's
				// share small.
				properties.put("spring.datasource.hikari.maximum-pool-size", 5);
				properties.put("spring.datasource.hikari.minimum-idle", 1);
			}
			if (this.redis) {
				TestRedis redis = TestRedis.get();
				properties.put("spring.data.redis.host", redis.host());
				properties.put("spring.data.redis.port", redis.port());
				properties.put("servinglayer.redis.key-prefix", redis.newKeyPrefix());
			}
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("servinglayer-test-infrastructure", properties));
		}

	}

}
