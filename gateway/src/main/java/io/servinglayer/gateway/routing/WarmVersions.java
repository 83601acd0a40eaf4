package io.servinglayer.gateway.routing;

/** Whether some instance announces a version ready; balancing knows. */
@FunctionalInterface
public interface WarmVersions {

	boolean isWarm(String deployment, int version);

}
