package io.servinglayer.contracts;

/**
 * One client's shared rate-limit state in Redis, which every gateway leases tokens from:
 *
 * <pre>
 * {prefix}ratelimit:{{clientId}}:bucket   the token bucket, a hash:
 *   tokens   tokens left when last touched, fractions kept
 *   at       when it was last touched, Redis TIME in microseconds
 *   (both numbers as Lua's tostring writes them: up to 14 significant digits, in
 *   exponent notation when large, such as 1.7962375839332e+15)
 *   expires when a full bucket would have refilled (burst / rate), plus a second
 * {prefix}ratelimit:{{clientId}}:day      the daily count, a hash, only under a daily quota:
 *   day      the UTC day, days since 1970-01-01
 *   used     requests counted that day
 *   expires a minute after the UTC day ends
 * </pre>
 *
 * The client id sits in braces, a Redis Cluster hash tag, so a client's two keys share a
 * slot and one script can touch both. Written and read by the gateways' rate-limit script
 * ({@code RateLimiter} and {@code rate-limit.lua}, on Redis's clock so gateways with
 * different clocks share one budget); nothing else writes here. A missing bucket reads as
 * full, so deleting a client's keys resets its limits.
 */
public final class RateLimitBucket {

	public static final String TOKENS = "tokens";

	public static final String AT = "at";

	public static final String DAY = "day";

	public static final String USED = "used";

	private RateLimitBucket() {
	}

	/**
	 * The client's bucket and daily count, as the script takes them ({@code KEYS[1]},
	 * {@code KEYS[2]}).
	 */
	public static String[] keys(String prefix, String clientId) {
		String base = base(prefix, clientId);
		return new String[] { base + "bucket", base + "day" };
	}

	/** The client's token bucket. */
	public static String bucketKey(String prefix, String clientId) {
		return base(prefix, clientId) + "bucket";
	}

	/** The client's count of requests on the current UTC day. */
	public static String dailyKey(String prefix, String clientId) {
		return base(prefix, clientId) + "day";
	}

	private static String base(String prefix, String clientId) {
		return prefix + "ratelimit:{" + clientId + "}:";
	}

}
