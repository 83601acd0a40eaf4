package io.servinglayer.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * Picks stable or canary for one request. A caller with a sticky key lands in one of
 * 10,000 buckets by a hash of the deployment's salt and the key, and gets the canary when
 * its bucket is below {@code canaryWeightBasisPoints}: the same key always gets the same
 * version at one weight, and raising the weight only moves buckets from stable to canary.
 * Without a sticky key the pick is weighted random.
 */
public final class VersionChoice {

	public static final int BUCKETS = 10_000;

	private VersionChoice() {
	}

	/**
	 * @param stickyValue the caller's sticky key, or {@code null} for none
	 */
	public static int choose(Deployment deployment, String stickyValue, RandomGenerator random) {
		if (deployment.canary() == null || deployment.canaryWeightBasisPoints() <= 0) {
			return deployment.stable();
		}
		int bucket = (stickyValue != null) ? bucket(deployment.salt(), stickyValue) : random.nextInt(BUCKETS);
		return (bucket < deployment.canaryWeightBasisPoints()) ? deployment.canary() : deployment.stable();
	}

	/** The key's bucket, 0 to 9,999: the first 8 bytes of SHA-256(salt ":" key). */
	public static int bucket(String salt, String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((salt + ":" + key).getBytes(StandardCharsets.UTF_8));
			long value = 0;
			for (int i = 0; i < 8; i++) {
				value = (value << 8) | (digest[i] & 0xff);
			}
			return (int) Math.floorMod(value, (long) BUCKETS);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

}
