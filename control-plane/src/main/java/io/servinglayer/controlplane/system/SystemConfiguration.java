package io.servinglayer.controlplane.system;

import java.time.Clock;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.apache.catalina.core.StandardHost;
import tools.jackson.databind.JacksonModule;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedHandler;
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

	/**
	 * A request Spring Security's firewall refuses (an encoded period or slash in the
	 * path, say) is answered with a problem document, not a bare 400.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
		return (request, response, rejected) -> problems.write(response, HttpStatus.BAD_REQUEST, "malformed-request",
				"Bad Request", "The request was refused: its path or headers hold characters or sequences "
						+ "that are not allowed (an encoded period, slash, backslash or NUL, say)");
	}

	/**
	 * Errors Tomcat answers itself become problem documents too: see
	 * {@link ProblemReportValve}.
	 */
	@Bean
	TomcatContextCustomizer problemReports() {
		return (context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		};
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
