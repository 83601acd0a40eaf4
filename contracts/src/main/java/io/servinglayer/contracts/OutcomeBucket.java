package io.servinglayer.contracts;

import java.time.Duration;
import java.util.List;

/**
 * The gateways' per-version outcome counters in Redis, which the control plane reads to
 * judge canaries and SLOs. One hash per deployment, version and time bucket:
 *
 * <pre>
 * {prefix}outcomes:{deployment}:{version}:{bucket start, epoch seconds}
 *   count       requests (those the client gave up on are not counted)
 *   errors      5xx answers, timeouts included
 *   timeouts    504 timeouts
 *   le_{ms}     requests slower than the previous bound and at most {ms} (not cumulative)
 *   le_inf      requests slower than the last bound
 * </pre>
 *
 * Written by the gateway ({@code OutcomeRecorder}, HINCRBY and EXPIRE every second); read
 * by the control plane ({@code OutcomeBuckets}), which names each key and never scans.
 * Both sides must use the same bucket width and latency bounds: the defaults below. Every
 * command names one bucket, so the key needs no hash tag: on a Redis Cluster the buckets
 * spread over the nodes.
 */
public final class OutcomeBucket {

	public static final String COUNT = "count";

	public static final String ERRORS = "errors";

	public static final String TIMEOUTS = "timeouts";

	/** The prefix of the latency fields. */
	public static final String LATENCY = "le_";

	/** The field of requests slower than the last latency bound. */
	public static final String SLOWER_THAN_ALL = "le_inf";

	/** The width of one bucket, unless both sides are configured otherwise. */
	public static final Duration DEFAULT_WIDTH = Duration.ofSeconds(10);

	/** How long Redis keeps a bucket, unless both sides are configured otherwise. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(2);

	/**
	 * The latency bounds in milliseconds, also the gateway's histogram bounds, so an
	 * SLO's threshold is one of them.
	 */
	public static final List<Integer> DEFAULT_LATENCY_BOUNDS_MS = List.of(25, 50, 100, 200, 500, 1000, 2500, 5000);

	private OutcomeBucket() {
	}

	/** The hash of the bucket that starts at {@code bucketStart} (epoch seconds). */
	public static String key(String prefix, String deployment, int version, long bucketStart) {
		return prefix + "outcomes:" + deployment + ":" + version + ":" + bucketStart;
	}

	/** The start of the bucket {@code epochSeconds} falls in. */
	public static long bucketStart(long epochSeconds, long widthSeconds) {
		return epochSeconds - Math.floorMod(epochSeconds, widthSeconds);
	}

	/** The field that counts a request answered in {@code millis}. */
	public static String latencyField(long millis, List<Integer> boundsMs) {
		for (int bound : boundsMs) {
			if (millis <= bound) {
				return LATENCY + bound;
			}
		}
		return SLOWER_THAN_ALL;
	}

	/** The field of the latency bucket whose upper bound is {@code boundMs}. */
	public static String latencyBound(int boundMs) {
		return LATENCY + boundMs;
	}

}
