package io.servinglayer.gateway.access;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which routes an operator adds by configuration
 * ({@code spring.cloud.gateway.server.webflux.routes}) need a token. Such routes are open
 * unless their paths are listed here.
 *
 * @param tokenPaths path patterns ({@code /scorers/**}) whose requests need a token of
 * the control plane with {@code scope}; refused 401 and 403 with problem documents like
 * the model paths
 * @param scope the scope those paths need
 */
@ConfigurationProperties("servinglayer.gateway.route-access")
public record RouteAccessSettings(@DefaultValue List<String> tokenPaths, @DefaultValue("predict") String scope) {

}
