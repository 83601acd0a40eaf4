package io.servinglayer.inferenceservice.drift;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the instance measures input drift against the training baselines of the versions it
 * serves.
 *
 * @param window how far back the served values that each drift gauge compares with the
 * baseline go: a rolling time window, so the gauge follows the traffic of the last
 * minutes however busy the model is
 * @param slices how many steps the window moves in; the gauge covers between
 * {@code window - window/slices} and {@code window} of traffic
 * @param minSamples the fewest values of a feature in the window for its gauge to read a
 * number; with fewer it reads NaN, as a handful of values scatter over the bins by chance
 * and would read as drift
 * @param baselineTimeout the longest reading a version's baseline from the control plane
 * may take when the version is loaded
 */
@ConfigurationProperties("servinglayer.inference.drift")
public record DriftSettings(@DefaultValue("10m") Duration window, @DefaultValue("10") int slices,
		@DefaultValue("100") long minSamples, @DefaultValue("10s") Duration baselineTimeout) {

	public DriftSettings {
		if (slices < 1 || slices > 60) {
			throw new IllegalArgumentException(
					"servinglayer.inference.drift.slices must be between 1 and 60, got " + slices);
		}
		if (window.toMillis() < slices * 1000L) {
			throw new IllegalArgumentException("servinglayer.inference.drift.window must be at least a second per "
					+ "slice (" + slices + " slices), got " + window);
		}
		if (minSamples < 1) {
			throw new IllegalArgumentException(
					"servinglayer.inference.drift.min-samples must be at least 1, got " + minSamples);
		}
	}

}
