package io.servinglayer.controlplane.outcomes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.servinglayer.contracts.OutcomeBucket;

/**
 * How many requests one version answered over a window, how many failed (5xx, timeouts
 * included) and how their latencies fall into the gateway's buckets. Requests the client
 * gave up on are not in it.
 *
 * @param latency requests per latency bucket, by the bucket's field name ({@code le_50},
 * {@code le_inf}); each bucket holds the requests above the previous bound
 */
public record OutcomeCounts(long requests, long errors, long timeouts, Map<String, Long> latency) {

	public static final OutcomeCounts NONE = new OutcomeCounts(0, 0, 0, Map.of());

	public OutcomeCounts {
		latency = Map.copyOf(latency);
	}

	/** Counts from a bucket's Redis hash or a rolled-up row's fields. */
	static OutcomeCounts of(Map<String, String> fields) {
		Map<String, Long> latency = new LinkedHashMap<>();
		fields.forEach((field, value) -> {
			if (field.startsWith(OutcomeBucket.LATENCY)) {
				latency.put(field, Long.parseLong(value));
			}
		});
		return new OutcomeCounts(number(fields.get(OutcomeBucket.COUNT)), number(fields.get(OutcomeBucket.ERRORS)),
				number(fields.get(OutcomeBucket.TIMEOUTS)), latency);
	}

	private static long number(String value) {
		return (value != null) ? Long.parseLong(value) : 0;
	}

	public OutcomeCounts plus(OutcomeCounts other) {
		if (other.requests == 0 && other.latency.isEmpty()) {
			return this;
		}
		Map<String, Long> latency = new LinkedHashMap<>(this.latency);
		other.latency.forEach((field, count) -> latency.merge(field, count, Long::sum));
		return new OutcomeCounts(this.requests + other.requests, this.errors + other.errors,
				this.timeouts + other.timeouts, latency);
	}

	/** Failed share of the requests; 0 without requests. */
	public double errorRate() {
		return (this.requests > 0) ? (double) this.errors / this.requests : 0;
	}

	/** Requests answered within {@code thresholdMs}, which must be one of the bounds. */
	public long within(int thresholdMs, List<Integer> bounds) {
		long within = 0;
		for (int bound : bounds) {
			if (bound > thresholdMs) {
				break;
			}
			within += this.latency.getOrDefault(OutcomeBucket.latencyBound(bound), 0L);
		}
		return within;
	}

	/**
	 * The latency below which {@code quantile} of the requests fell, interpolated inside
	 * its bucket as Prometheus's {@code histogram_quantile} does; the highest bound when
	 * it falls above it; {@code null} without requests.
	 */
	public Double quantileMs(double quantile, List<Integer> bounds) {
		long total = this.latency.values().stream().mapToLong(Long::longValue).sum();
		if (total == 0) {
			return null;
		}
		double rank = quantile * total;
		long below = 0;
		int lower = 0;
		for (int bound : bounds) {
			long inBucket = this.latency.getOrDefault(OutcomeBucket.latencyBound(bound), 0L);
			if (below + inBucket >= rank && inBucket > 0) {
				return lower + (bound - lower) * ((rank - below) / inBucket);
			}
			below += inBucket;
			lower = bound;
		}
		return (double) bounds.get(bounds.size() - 1);
	}

}
