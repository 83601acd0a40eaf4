package io.servinglayer.gateway;

import java.nio.file.Path;

import io.servinglayer.testsupport.ControlPlaneProcess;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings of a gateway under test that follows a control plane of the test's own.
 */
final class GatewaySettings {

	private GatewaySettings() {
	}

	/**
	 * Points the gateway at {@code controlPlane}: its routing snapshot, its tokens'
	 * issuer, its Redis prefix and revision channel; the gateway's own state (its copy of
	 * the snapshot, its TLS key) in {@code state}.
	 */
	static void follow(DynamicPropertyRegistry registry, ControlPlaneProcess controlPlane, String gatewaySecret,
			Path state, String redisUri) {
		registry.add("servinglayer.gateway.routing.control-plane", () -> controlPlane.url().toString());
		registry.add("servinglayer.gateway.routing.client-secret", () -> gatewaySecret);
		registry.add("servinglayer.gateway.routing.state-directory", state::toString);
		registry.add("servinglayer.gateway.routing.routing-channel", () -> controlPlane.redisPrefix() + "routing");
		registry.add("servinglayer.gateway.tls.state-directory", state::toString);
		registry.add("servinglayer.gateway.access.issuer", () -> controlPlane.url().toString());
		registry.add("servinglayer.gateway.redis.uri", () -> redisUri);
		registry.add("servinglayer.gateway.redis.key-prefix", controlPlane::redisPrefix);
	}

}
