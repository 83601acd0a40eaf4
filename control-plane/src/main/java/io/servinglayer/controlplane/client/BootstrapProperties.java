package io.servinglayer.controlplane.client;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the control plane creates on start when it is missing, so a fresh installation can
 * be reached at all.
 *
 * @param adminUsername the first console user, created when there is no user
 * @param adminPassword its password; when not set, one is generated and printed once on
 * standard output (never to a log)
 * @param clients clients to create with the given secrets when they do not exist, such as
 * the local clients of {@code ./servinglayer up}
 */
@ConfigurationProperties("servinglayer.control-plane.bootstrap")
public record BootstrapProperties(@DefaultValue("admin") String adminUsername, String adminPassword,
		@DefaultValue List<BootstrapClient> clients) {

	/** A client to create on start, with its secret. */
	public record BootstrapClient(String clientId, String secret, List<String> scopes,
			@DefaultValue("default") String tenant, RatePlan ratePlan, String description) {

		@Override
		public String toString() {
			return "BootstrapClient[clientId=" + this.clientId + ", scopes=" + this.scopes + "]";
		}

	}

}
