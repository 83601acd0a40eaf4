package io.servinglayer.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the client port on TLS. The customizer is a bean of the main context only, so the
 * management port (a child context) stays plain HTTP for probes and scrapes inside the
 * cluster.
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(TlsConfiguration.class);

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> clientPortTls(TlsSettings settings) {
		return (factory) -> {
			Ssl ssl = switch (settings.mode()) {
				case OFF -> null;
				case KEYSTORE ->
					keyStore(settings.keyStore().toString(), settings.keyStorePassword(), settings.keyAlias());
				case LOCAL -> {
					SelfSignedCertificate certificate = SelfSignedCertificate.in(settings.stateDirectory(),
							settings.hostnames());
					yield keyStore(certificate.keyStore().toString(), certificate.password(),
							SelfSignedCertificate.ALIAS);
				}
			};
			if (ssl != null) {
				factory.setSsl(ssl);
				logEngine();
			}
		};
	}

	/**
	 * Says which TLS engine serves: Netty takes OpenSSL (BoringSSL) when its native
	 * library loads, else the JDK's, which costs the gateway markedly more CPU per call.
	 */
	private static void logEngine() {
		if (OpenSsl.isAvailable()) {
			logger.info("TLS by " + OpenSsl.versionString());
		}
		else {
			logger.warn("TLS by the JDK's SSLEngine: OpenSSL is not available here ({}); calls cost more CPU",
					String.valueOf(OpenSsl.unavailabilityCause()));
		}
	}

	private static Ssl keyStore(String path, String password, String alias) {
		Ssl ssl = new Ssl();
		ssl.setEnabled(true);
		ssl.setKeyStore("file:" + path);
		ssl.setKeyStoreType("PKCS12");
		ssl.setKeyStorePassword(password);
		ssl.setKeyAlias(alias);
		return ssl;
	}

}
