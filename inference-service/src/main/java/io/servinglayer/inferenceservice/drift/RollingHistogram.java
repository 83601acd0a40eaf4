package io.servinglayer.inferenceservice.drift;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts values into fixed bins over a rolling time window: the window is cut into
 * {@code slices} equal slices, each with its own counts, and the oldest slice is cleared
 * and reused as time moves on, so memory is fixed at slices × bins counters and the
 * counts cover between {@code window - window/slices} and {@code window} of the most
 * recent values.
 *
 * <p>
 * Bins follow the baseline's edges: {@code n} edges make {@code n + 1} bins,
 * {@code (-inf, edges[0])}, {@code [edges[0], edges[1])} … {@code [edges[n-1], +inf)}.
 * Safe for concurrent recording (counters are {@link LongAdder}s, so threads do not
 * contend on one hot bin); a value recorded while its slice is being cleared may be lost,
 * which a drift measure can afford.
 */
final class RollingHistogram {

	private final double[] edges;

	private final long sliceMillis;

	private final LongAdder[][] counts;

	/** The time slice (epoch millis / sliceMillis) each slice's counts belong to. */
	private final AtomicLongArray sliceOf;

	RollingHistogram(double[] edges, long windowMillis, int slices) {
		if (slices < 1 || windowMillis < slices) {
			throw new IllegalArgumentException(
					"a window of " + windowMillis + " ms cannot be cut into " + slices + " slices");
		}
		this.edges = edges.clone();
		this.sliceMillis = windowMillis / slices;
		this.counts = new LongAdder[slices][edges.length + 1];
		for (LongAdder[] slice : this.counts) {
			Arrays.setAll(slice, (bin) -> new LongAdder());
		}
		this.sliceOf = new AtomicLongArray(slices);
		for (int i = 0; i < slices; i++) {
			this.sliceOf.set(i, Long.MIN_VALUE);
		}
	}

	int bins() {
		return this.edges.length + 1;
	}

	/** The bin of a value; {@code -1} for NaN, which no bin holds. */
	int bin(double value) {
		if (Double.isNaN(value)) {
			return -1;
		}
		int found = Arrays.binarySearch(this.edges, value);
		return (found >= 0) ? found + 1 : -found - 1;
	}

	/**
	 * The counters of the slice that {@code nowMillis} falls in, cleared first when they
	 * still hold an older slice; look it up once per batch of values.
	 */
	LongAdder[] slice(long nowMillis) {
		long tick = Math.floorDiv(nowMillis, this.sliceMillis);
		int index = (int) Math.floorMod(tick, (long) this.counts.length);
		if (this.sliceOf.get(index) != tick) {
			reuse(index, tick);
		}
		return this.counts[index];
	}

	void record(LongAdder[] slice, double value) {
		int bin = bin(value);
		if (bin >= 0) {
			slice[bin].increment();
		}
	}

	/** The counts per bin of every slice still inside the window at {@code nowMillis}. */
	long[] counts(long nowMillis) {
		long tick = Math.floorDiv(nowMillis, this.sliceMillis);
		long[] sums = new long[bins()];
		for (int i = 0; i < this.counts.length; i++) {
			long of = this.sliceOf.get(i);
			if (of <= tick && of > tick - this.counts.length) {
				for (int bin = 0; bin < sums.length; bin++) {
					sums[bin] += this.counts[i][bin].sum();
				}
			}
		}
		return sums;
	}

	private synchronized void reuse(int index, long tick) {
		if (this.sliceOf.get(index) < tick) {
			for (LongAdder counter : this.counts[index]) {
				counter.reset();
			}
			this.sliceOf.set(index, tick);
		}
	}

}
