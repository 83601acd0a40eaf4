package io.servinglayer.inferenceservice.drift;

import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RollingHistogramTests {

	private final RollingHistogram histogram = new RollingHistogram(new double[] { -1, 0, 1 }, 10_000, 10);

	@Test
	void putsEachValueInTheBinFromItsLowerEdgeUpToTheNextWithOpenEnds() {
		assertThat(this.histogram.bins()).isEqualTo(4);
		assertThat(this.histogram.bin(-1e9)).isZero();
		assertThat(this.histogram.bin(-1.0001)).isZero();
		assertThat(this.histogram.bin(-1)).isEqualTo(1);
		assertThat(this.histogram.bin(-0.5)).isEqualTo(1);
		assertThat(this.histogram.bin(0)).isEqualTo(2);
		assertThat(this.histogram.bin(0.99)).isEqualTo(2);
		assertThat(this.histogram.bin(1)).isEqualTo(3);
		assertThat(this.histogram.bin(Double.POSITIVE_INFINITY)).isEqualTo(3);
		assertThat(this.histogram.bin(Double.NaN)).isEqualTo(-1);
	}

	@Test
	void countsTheValuesOfTheWindowAndForgetsSlicesThatLeftIt() {
		record(0, -5, 0.5, 0.5);
		record(4_500, 2);
		assertThat(this.histogram.counts(9_999)).containsExactly(1, 0, 2, 1);

		// 10 s on, the first slice (0-1 s) has left the window; the one at 4.5 s has not.
		assertThat(this.histogram.counts(10_000)).containsExactly(0, 0, 0, 1);
		record(10_000, -0.5);
		assertThat(this.histogram.counts(10_500)).containsExactly(0, 1, 0, 1);
		assertThat(this.histogram.counts(15_000)).containsExactly(0, 1, 0, 0);
		assertThat(this.histogram.counts(60_000)).containsExactly(0, 0, 0, 0);
	}

	@Test
	void aReusedSliceStartsFromZero() {
		record(1_000, 0.5, 0.5);
		record(11_000, 0.5);

		assertThat(this.histogram.counts(11_000)).containsExactly(0, 0, 1, 0);
	}

	@Test
	void ignoresNaN() {
		record(0, Double.NaN, 3);

		assertThat(this.histogram.counts(0)).containsExactly(0, 0, 0, 1);
	}

	private void record(long nowMillis, double... values) {
		LongAdder[] slice = this.histogram.slice(nowMillis);
		for (double value : values) {
			this.histogram.record(slice, value);
		}
	}

}
