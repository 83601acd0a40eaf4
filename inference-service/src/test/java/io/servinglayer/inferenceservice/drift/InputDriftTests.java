package io.servinglayer.inferenceservice.drift;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InputDriftTests {

	/** The deciles of the standard normal distribution: ten bins of 10 % each. */
	static final double[] NORMAL_DECILES = { -1.2816, -0.8416, -0.5244, -0.2533, 0, 0.2533, 0.5244, 0.8416, 1.2816 };

	static final double[] TENTHS = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };

	private static final List<TensorSpec> INPUTS = List.of(new TensorSpec("input", DataType.FP32, new long[] { -1, 3 }),
			new TensorSpec("count", DataType.INT64, new long[] { -1 }));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MutableClock clock = new MutableClock();

	private final Random random = new Random(7);

	private final InputDrift drift = InputDrift.of(
			new Baseline(List.of(new Baseline.Feature("amount", "input", 1, NORMAL_DECILES, TENTHS),
					new Baseline.Feature("count", "count", 0, new double[] { 5 }, new double[] { 0.5, 0.5 }))),
			INPUTS, new DriftSettings(Duration.ofMinutes(10), 10, 100, Duration.ofSeconds(1)), this.clock,
			this.registry, "fraud", 3);

	@Test
	void readsNoDriftForValuesDrawnLikeTheBaselineAndSignificantDriftForShiftedOnes() {
		observeColumn(2_000, 0);
		assertThat(psi("amount")).isLessThan(0.1);

		this.clock.advance(Duration.ofMinutes(11));
		observeColumn(2_000, 1.5);
		assertThat(psi("amount")).isGreaterThan(PopulationStability.SIGNIFICANT);
	}

	@Test
	void readsNaNUntilTheWindowHoldsEnoughValues() {
		observeColumn(99, 0);
		assertThat(psi("amount")).isNaN();

		observeColumn(1, 0);
		assertThat(psi("amount")).isFinite();
	}

	@Test
	void watchesOneDimensionalIntegerInputsToo() {
		long[] counts = new long[200];
		for (int i = 0; i < counts.length; i++) {
			counts[i] = (i % 2 == 0) ? 1 : 9;
		}
		this.drift.observe(Map.of("count", new Tensor(DataType.INT64, new long[] { 200 }, counts)));

		assertThat(psi("count")).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-12));
	}

	@Test
	void labelsGaugesByModelVersionAndFeatureAndRemovesThem() {
		Gauge gauge = this.registry.find("inference.input.drift.psi").tag("feature", "amount").gauge();
		assertThat(gauge).isNotNull();
		assertThat(gauge.getId().getTag("model")).isEqualTo("fraud");
		assertThat(gauge.getId().getTag("model.version")).isEqualTo("3");

		this.drift.remove();

		assertThat(this.registry.find("inference.input.drift.psi").gauges()).isEmpty();
	}

	@Test
	void leavesOutBaselineFeaturesTheModelHasNoNumericColumnFor() {
		InputDrift partial = InputDrift.of(
				new Baseline(
						List.of(new Baseline.Feature("ghost", "nope", 0, new double[] { 0 }, new double[] { 1, 0 }),
								new Baseline.Feature("amount", "input", 1, NORMAL_DECILES, TENTHS))),
				INPUTS, new DriftSettings(Duration.ofMinutes(10), 10, 100, Duration.ofSeconds(1)), this.clock,
				new SimpleMeterRegistry(), "fraud", 4);

		assertThat(partial.features()).containsExactly("amount");
	}

	/** Batches of eight rows whose column 1 is normal around {@code mean}. */
	private void observeColumn(int rows, double mean) {
		for (int done = 0; done < rows;) {
			int batch = Math.min(8, rows - done);
			float[] data = new float[batch * 3];
			for (int row = 0; row < batch; row++) {
				data[row * 3] = 100;
				data[row * 3 + 1] = (float) (mean + this.random.nextGaussian());
				data[row * 3 + 2] = -100;
			}
			this.drift.observe(Map.of("input", new Tensor(DataType.FP32, new long[] { batch, 3 }, data)));
			done += batch;
		}
	}

	private double psi(String feature) {
		return this.registry.get("inference.input.drift.psi").tag("feature", feature).gauge().value();
	}

}
