package io.servinglayer.gateway.feedback;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What feedback this gateway joined, per deployment and version:
 * {@code gateway.feedback{model, model.version, outcome}} counts labels ({@code correct},
 * {@code incorrect}) and repeated feedback ({@code duplicate}, once per request),
 * {@code gateway.feedback.unknown{model}} feedback whose request id was never served or
 * has expired, and {@code gateway.feedback.accuracy{model, model.version}} is the share
 * of correct labels over this gateway's rolling window (NaN below the minimum). Versions
 * are those instances served and labels named, so the tags stay bounded.
 */
class FeedbackCounts {

	private final MeterRegistry meters;

	private final FeedbackSettings settings;

	private final Clock clock;

	private final Map<String, RollingAccuracy> accuracy = new ConcurrentHashMap<>();

	FeedbackCounts(MeterRegistry meters, FeedbackSettings settings, Clock clock) {
		this.meters = meters;
		this.settings = settings;
		this.clock = clock;
	}

	void joined(String model, String version, int correct, int incorrect) {
		counter(model, version, "correct").increment(correct);
		counter(model, version, "incorrect").increment(incorrect);
		this.accuracy.computeIfAbsent(model + "\n" + version, (key) -> {
			RollingAccuracy window = new RollingAccuracy(this.clock, this.settings.window(), this.settings.slices(),
					this.settings.minLabels());
			Gauge.builder("gateway.feedback.accuracy", window, RollingAccuracy::value)
				.description("Share of joined labels that matched the served prediction, over the feedback window")
				.tag("model", model)
				.tag("model.version", version)
				.strongReference(true)
				.register(this.meters);
			return window;
		}).record(correct, incorrect);
	}

	void duplicate(String model, String version) {
		counter(model, version, "duplicate").increment();
	}

	void unknown(String model) {
		Counter.builder("gateway.feedback.unknown")
			.description("Feedback for a request id never served, or kept no longer (expired)")
			.tag("model", model)
			.register(this.meters)
			.increment();
	}

	/** This gateway's accuracy of a version over its window, NaN when unknown. */
	double accuracy(String model, String version) {
		RollingAccuracy window = this.accuracy.get(model + "\n" + version);
		return (window != null) ? window.value() : Double.NaN;
	}

	private Counter counter(String model, String version, String outcome) {
		return Counter.builder("gateway.feedback")
			.description("Labels joined to served predictions, by whether the prediction matched")
			.tag("model", model)
			.tag("model.version", version)
			.tag("outcome", outcome)
			.register(this.meters);
	}

}
