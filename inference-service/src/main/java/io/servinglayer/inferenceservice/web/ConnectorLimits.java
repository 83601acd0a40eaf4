package io.servinglayer.inferenceservice.web;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Tomcat's part of the instance's bounds: while a body is read, a read that waits longer
 * than {@code servinglayer.inference.http.body-read-timeout} for its next byte fails
 * (Tomcat's upload timeout), the rest of a body the call did not read is not waited for
 * ({@link UnreadBodyValve}), and every error Tomcat answers itself (a malformed request
 * line, an encoded slash, headers past the limit) is a problem document.
 */
@Component
class ConnectorLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	private final HttpSettings settings;

	ConnectorLimits(HttpSettings settings) {
		this.settings = settings;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("disableUploadTimeout", "false");
			connector.setProperty("connectionUploadTimeout", Long.toString(this.settings.bodyReadTimeout().toMillis()));
		});
		factory.addContextValves(new UnreadBodyValve(this.settings.unreadBodyLinger()));
		factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		});
	}

}
