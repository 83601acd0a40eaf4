package io.servinglayer.controlplane.system;

import java.time.Clock;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import tools.jackson.databind.JacksonModule;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wiring that belongs to no single feature. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** No NUL character in any string of a request body: see {@link NulCharacters}. */
	@Bean
	JacksonModule noNulCharacters() {
		return NulCharacters.module();
	}

	@Bean
	TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
		return new TransactionTemplate(transactionManager);
	}

	@Bean
	OpenAPI servinglayerOpenApi() {
		return new OpenAPI().info(new Info().title("Servinglayer admin API")
			.version("v1")
			.description("Registers models, versions and feature views. Errors are RFC 9457 problem documents; "
					+ "POSTs honour Idempotency-Key; updates need If-Match with the ETag from a GET.")
			.license(new License().name("Apache-2.0")));
	}

}
