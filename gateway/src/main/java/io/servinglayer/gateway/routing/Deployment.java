package io.servinglayer.gateway.routing;

/**
 * One deployment as the gateway routes it. {@code canary} and {@code shadow} are
 * {@code null} when the deployment has none.
 *
 * @param stickyKey {@code client}, {@code none} or {@code header:<Name>}
 * @param canaryWeightBasisPoints the canary's share of 10,000 hash buckets
 * @param shadowPercent the percent of requests copied to the shadow version
 */
public record Deployment(String name, String pool, int stable, Integer canary, int canaryWeightBasisPoints,
		Integer shadow, int shadowPercent, String stickyKey, String salt, int timeoutMs) {

	/**
	 * Whether {@code version} is one this deployment serves (stable, canary or shadow).
	 */
	public boolean serves(int version) {
		return version == this.stable || (this.canary != null && version == this.canary)
				|| (this.shadow != null && version == this.shadow);
	}

}
