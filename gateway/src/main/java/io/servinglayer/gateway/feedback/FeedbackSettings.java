package io.servinglayer.gateway.feedback;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway joins labels sent to {@code POST /v1/models/{model}:feedback} with the
 * predictions the instances served, and measures accuracy from them.
 *
 * @param scope the scope a token needs to send feedback; a predict scope is not enough
 * @param window how far back the accuracy gauge ({@code gateway.feedback.accuracy})
 * counts joined labels: a rolling window, in this gateway only (the alert rule adds up
 * every gateway's counters instead)
 * @param slices how many steps the window moves in; the gauge covers between
 * {@code window - window/slices} and {@code window} of labels
 * @param minLabels the fewest labels of a version in the window for its gauge to read a
 * number; with fewer it reads NaN
 * @param maxBatch the most items one feedback request may carry
 */
@ConfigurationProperties("servinglayer.gateway.feedback")
public record FeedbackSettings(@DefaultValue("feedback:write") String scope, @DefaultValue("1h") Duration window,
		@DefaultValue("60") int slices, @DefaultValue("20") long minLabels, @DefaultValue("100") int maxBatch) {

	/** The path feedback is sent to. */
	public static final String PATH = "/v1/models/{model}:feedback";

	public FeedbackSettings {
		if (scope == null || scope.isBlank()) {
			throw new IllegalArgumentException("servinglayer.gateway.feedback.scope must not be blank");
		}
		if (slices < 1 || slices > 360) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.feedback.slices must be between 1 and 360, got " + slices);
		}
		if (window.toMillis() < slices * 1000L) {
			throw new IllegalArgumentException("servinglayer.gateway.feedback.window must be at least a second per "
					+ "slice (" + slices + " slices), got " + window);
		}
		if (minLabels < 1) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.feedback.min-labels must be at least 1, got " + minLabels);
		}
		if (maxBatch < 1 || maxBatch > 1000) {
			throw new IllegalArgumentException(
					"servinglayer.gateway.feedback.max-batch must be between 1 and 1000, got " + maxBatch);
		}
	}

}
