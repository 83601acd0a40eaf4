package io.servinglayer.controlplane.user;

import io.servinglayer.controlplane.lockout.LockoutPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the people who sign in to the console.
 *
 * @param lockout how repeated failed sign-ins are slowed down, per username and source
 * address
 */
@ConfigurationProperties("servinglayer.control-plane.users")
public record UserProperties(@DefaultValue LockoutPolicy lockout) {

}
