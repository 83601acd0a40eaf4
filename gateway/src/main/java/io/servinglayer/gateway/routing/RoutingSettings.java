package io.servinglayer.gateway.routing;

import java.net.URI;
import java.nio.file.Path;

import io.servinglayer.contracts.RoutingRevisionChannel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the gateway's routing comes from.
 *
 * @param controlPlane the control plane to follow
 * @param clientId the gateway's own client, with the {@code routing:read} scope
 * @param clientSecret its secret; without one the gateway follows nothing and routes
 * nothing
 * @param stateDirectory where the last known good routing snapshot is kept
 * @param routingChannel the Redis channel announcing new revisions,
 * {@code {key-prefix}routing}
 */
@ConfigurationProperties("servinglayer.gateway.routing")
public record RoutingSettings(@DefaultValue("http://127.0.0.1:8081") URI controlPlane,
		@DefaultValue("gateway") String clientId, String clientSecret, Path stateDirectory,
		@DefaultValue(RoutingRevisionChannel.DEFAULT) String routingChannel) {

	public RoutingSettings {
		if (stateDirectory == null) {
			stateDirectory = Path.of(System.getProperty("java.io.tmpdir"), "servinglayer-gateway");
		}
	}

	/** Never prints the client secret. */
	@Override
	public String toString() {
		return "RoutingSettings[controlPlane=" + this.controlPlane + ", clientId=" + this.clientId + ", clientSecret="
				+ ((this.clientSecret != null) ? "******" : null) + ", stateDirectory=" + this.stateDirectory
				+ ", routingChannel=" + this.routingChannel + "]";
	}

}
