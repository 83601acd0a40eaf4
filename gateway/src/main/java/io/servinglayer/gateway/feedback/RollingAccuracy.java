package io.servinglayer.gateway.feedback;

import java.time.Clock;
import java.time.Duration;

/**
 * The share of labels that matched their predictions over a rolling time window, kept in
 * {@code slices} steps: labels older than the window leave it a slice at a time.
 * Thread-safe.
 */
final class RollingAccuracy {

	private final Clock clock;

	private final long sliceMillis;

	private final long minLabels;

	private final long[] correct;

	private final long[] total;

	/** The slice number each cell was last written in. */
	private final long[] written;

	RollingAccuracy(Clock clock, Duration window, int slices, long minLabels) {
		this.clock = clock;
		this.sliceMillis = window.toMillis() / slices;
		this.minLabels = minLabels;
		this.correct = new long[slices];
		this.total = new long[slices];
		this.written = new long[slices];
		java.util.Arrays.fill(this.written, Long.MIN_VALUE);
	}

	synchronized void record(long correct, long incorrect) {
		long slice = this.clock.millis() / this.sliceMillis;
		int cell = (int) Math.floorMod(slice, (long) this.total.length);
		if (this.written[cell] != slice) {
			this.written[cell] = slice;
			this.correct[cell] = 0;
			this.total[cell] = 0;
		}
		this.correct[cell] += correct;
		this.total[cell] += correct + incorrect;
	}

	/**
	 * Correct labels over all labels in the window; NaN while there are fewer than the
	 * minimum.
	 */
	synchronized double value() {
		long slice = this.clock.millis() / this.sliceMillis;
		long correct = 0;
		long total = 0;
		for (int cell = 0; cell < this.total.length; cell++) {
			if (this.written[cell] > slice - this.total.length) {
				correct += this.correct[cell];
				total += this.total[cell];
			}
		}
		return (total < this.minLabels) ? Double.NaN : (double) correct / total;
	}

}
