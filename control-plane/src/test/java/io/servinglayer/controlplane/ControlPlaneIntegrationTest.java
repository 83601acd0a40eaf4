package io.servinglayer.controlplane;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.servinglayer.testsupport.WithPostgres;
import io.servinglayer.testsupport.WithRedis;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole control plane on a random port, against a PostgreSQL database and a Redis key
 * prefix of the test class's own, with an {@link AdminApi} client to inject that calls as
 * the admin client {@link #ADMIN_CLIENT}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "servinglayer.control-plane.access.issuer=" + ControlPlaneIntegrationTest.ISSUER,
				"servinglayer.control-plane.bootstrap.admin-password=test-admin-password",
				"servinglayer.control-plane.bootstrap.clients[0].client-id=" + ControlPlaneIntegrationTest.ADMIN_CLIENT,
				"servinglayer.control-plane.bootstrap.clients[0].secret=" + ControlPlaneIntegrationTest.ADMIN_SECRET,
				"servinglayer.control-plane.bootstrap.clients[0].scopes=admin",
				"servinglayer.control-plane.signing-keys.key-encryption-key="
						+ ControlPlaneIntegrationTest.KEY_ENCRYPTION_KEY,
				"servinglayer.control-plane.state-directory=" + ControlPlaneIntegrationTest.STATE_DIRECTORY })
@WithPostgres
@WithRedis
@Import(AdminApi.class)
public @interface ControlPlaneIntegrationTest {

	/**
	 * The issuer of the control plane under test; tokens are validated locally, so it
	 * need not resolve.
	 */
	String ISSUER = "http://control-plane.test";

	/**
	 * A client with the admin scope, created at start, whose token {@link AdminApi} sends
	 * by default.
	 */
	String ADMIN_CLIENT = "test-admin";

	String ADMIN_SECRET = "test-admin-secret-0123456789";

	/**
	 * The key-encryption key the signing keys are encrypted under (32 bytes, base64): a
	 * fixed one, so a second control plane a test starts on the same database can read
	 * them.
	 */
	/**
	 * A state folder of each context's own, under the build's output: a context empties
	 * its spool folder when it starts.
	 */
	String STATE_DIRECTORY = "target/control-plane-state/${random.uuid}";

	String KEY_ENCRYPTION_KEY = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

}
