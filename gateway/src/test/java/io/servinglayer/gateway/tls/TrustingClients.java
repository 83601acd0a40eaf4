package io.servinglayer.gateway.tls;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP clients for tests that trust the certificate a gateway made in its state
 * directory, and nothing else: tests check the real certificate rather than switching
 * verification off.
 */
public final class TrustingClients {

	private TrustingClients() {
	}

	public static HttpClient trusting(Path stateDirectory, HttpClient.Version version) throws Exception {
		return HttpClient.newBuilder()
			.sslContext(context(stateDirectory))
			.version(version)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/** A TLS context that trusts the gateway's certificate and nothing else. */
	public static SSLContext context(Path stateDirectory) throws Exception {
		SelfSignedCertificate certificate = SelfSignedCertificate.in(stateDirectory, "localhost");
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(certificate.keyStore())) {
			store.load(in, certificate.password().toCharArray());
		}
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("gateway", store.getCertificate(SelfSignedCertificate.ALIAS));
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
