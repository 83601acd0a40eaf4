package io.servinglayer.inferenceservice.drift;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input drift of one loaded version: for each feature of its baseline, a rolling
 * histogram of the values the version was run on, and a gauge
 * {@code inference.input.drift.psi} (model, model.version, feature) with the population
 * stability index of that histogram against the baseline. The gauge reads NaN while the
 * window holds fewer than {@code min-samples} values.
 *
 * <p>
 * {@link #observe} is called with each batch's inputs after it ran: one clock read per
 * batch, then a binary search over the edges and a counter increment per value. The index
 * itself is computed only when the gauge is read.
 */
public final class InputDrift {

	private static final Logger logger = LoggerFactory.getLogger(InputDrift.class);

	private final List<Watched> features;

	private final Clock clock;

	private final long minSamples;

	private final MeterRegistry registry;

	private final List<Gauge> gauges = new ArrayList<>();

	private InputDrift(List<Watched> features, DriftSettings settings, Clock clock, MeterRegistry registry,
			String model, int version) {
		this.features = features;
		this.clock = clock;
		this.minSamples = settings.minSamples();
		this.registry = registry;
		for (Watched feature : features) {
			this.gauges.add(Gauge.builder("inference.input.drift.psi", feature, this::index)
				.description("Population stability index of the feature's served values over the drift window "
						+ "against the version's training baseline (above 0.25: significant drift); NaN with too "
						+ "few values")
				.tag("model", model)
				.tag("model.version", Integer.toString(version))
				.tag("feature", feature.name())
				.register(registry));
		}
	}

	/**
	 * Drift of a version against its baseline, its gauges registered. A baseline feature
	 * on an input the model lacks, or of a type that is not a number, is left out with a
	 * warning.
	 */
	public static InputDrift of(Baseline baseline, List<TensorSpec> inputs, DriftSettings settings, Clock clock,
			MeterRegistry registry, String model, int version) {
		List<Watched> watched = new ArrayList<>();
		for (Baseline.Feature feature : baseline.features()) {
			TensorSpec input = inputs.stream()
				.filter((spec) -> spec.name().equals(feature.input()))
				.findFirst()
				.orElse(null);
			if (input == null || !numeric(input.datatype()) || input.rank() < 1 || input.rank() > 2
					|| feature.column() < 0 || (input.rank() == 1 && feature.column() != 0)) {
				logger.warn("{}/{}: no drift for baseline feature '{}': the model has no numeric input column {}[{}]",
						model, version, feature.name(), feature.input(), feature.column());
				continue;
			}
			watched.add(new Watched(feature.name(), feature.input(), feature.column(), feature.proportions(),
					new RollingHistogram(feature.edges(), settings.window().toMillis(), settings.slices())));
		}
		return new InputDrift(List.copyOf(watched), settings, clock, registry, model, version);
	}

	/** Counts the values of every watched feature in a batch's inputs. */
	public void observe(Map<String, Tensor> inputs) {
		long now = this.clock.millis();
		for (Watched feature : this.features) {
			Tensor tensor = inputs.get(feature.input());
			if (tensor == null) {
				continue;
			}
			long[] shape = tensor.shape();
			int width = (shape.length == 2) ? (int) shape[1] : 1;
			if (feature.column() >= width) {
				continue;
			}
			RollingHistogram histogram = feature.histogram();
			LongAdder[] slice = histogram.slice(now);
			Object data = tensor.data();
			if (data instanceof float[] values) {
				for (int i = feature.column(); i < values.length; i += width) {
					histogram.record(slice, values[i]);
				}
			}
			else if (data instanceof double[] values) {
				for (int i = feature.column(); i < values.length; i += width) {
					histogram.record(slice, values[i]);
				}
			}
			else if (data instanceof long[] values) {
				for (int i = feature.column(); i < values.length; i += width) {
					histogram.record(slice, values[i]);
				}
			}
			else if (data instanceof int[] values) {
				for (int i = feature.column(); i < values.length; i += width) {
					histogram.record(slice, values[i]);
				}
			}
		}
	}

	/** The feature names watched, in baseline order. */
	public List<String> features() {
		return this.features.stream().map(Watched::name).toList();
	}

	/** Takes the drift gauges out of the registry. */
	public void remove() {
		this.gauges.forEach(this.registry::remove);
	}

	private double index(Watched feature) {
		long[] counts = feature.histogram().counts(this.clock.millis());
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		return (total < this.minSamples) ? Double.NaN : PopulationStability.index(feature.expected(), counts);
	}

	private static boolean numeric(DataType type) {
		return type == DataType.FP32 || type == DataType.FP64 || type == DataType.INT32 || type == DataType.INT64;
	}

	private record Watched(String name, String input, int column, double[] expected, RollingHistogram histogram) {
	}

}
