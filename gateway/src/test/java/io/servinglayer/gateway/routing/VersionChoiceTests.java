package io.servinglayer.gateway.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VersionChoiceTests {

	private static Deployment fraud(int canaryWeight) {
		return new Deployment("fraud", "default", 1, 2, canaryWeight, null, 0, "client", "salt-7f3a", 2000);
	}

	@Test
	void twentyThousandStickyKeysAtWeight1000GiveTheCanaryTenPercentWithinOnePoint() {
		Deployment deployment = fraud(1000);
		int canary = 0;
		for (int i = 0; i < 20_000; i++) {
			if (VersionChoice.choose(deployment, "client-" + i, new SplittableRandom(i)) == 2) {
				canary++;
			}
		}
		assertThat(canary / 20_000.0).isCloseTo(0.10, within(0.01));
	}

	@Test
	void aFixedKeyAlwaysGetsTheSameVersion() {
		Deployment deployment = fraud(5000);
		int first = VersionChoice.choose(deployment, "client-42", new SplittableRandom(1));
		for (int i = 0; i < 100; i++) {
			assertThat(VersionChoice.choose(deployment, "client-42", new SplittableRandom(i))).isEqualTo(first);
		}
	}

	@Test
	void raisingTheWeightOnlyMovesKeysFromStableToCanary() {
		Map<String, Integer> before = new HashMap<>();
		for (int i = 0; i < 20_000; i++) {
			before.put("key-" + i, VersionChoice.choose(fraud(1000), "key-" + i, new SplittableRandom(i)));
		}
		int moved = 0;
		for (int i = 0; i < 20_000; i++) {
			int after = VersionChoice.choose(fraud(2500), "key-" + i, new SplittableRandom(i));
			if (before.get("key-" + i) == 2) {
				assertThat(after).as("key-%d was on the canary", i).isEqualTo(2);
			}
			else if (after == 2) {
				moved++;
			}
		}
		assertThat(moved).isPositive();
	}

	@Test
	void anotherSaltSplitsTheSameKeysDifferently() {
		Deployment other = new Deployment("fraud", "default", 1, 2, 5000, null, 0, "client", "salt-other", 2000);
		int differ = 0;
		for (int i = 0; i < 1000; i++) {
			if (VersionChoice.choose(fraud(5000), "k" + i, new SplittableRandom(i)) != VersionChoice.choose(other,
					"k" + i, new SplittableRandom(i))) {
				differ++;
			}
		}
		assertThat(differ).isBetween(400, 600);
	}

	@Test
	void withoutAStickyKeyThePickIsWeightedRandom() {
		SplittableRandom random = new SplittableRandom(7);
		int canary = 0;
		for (int i = 0; i < 20_000; i++) {
			if (VersionChoice.choose(fraud(3000), null, random) == 2) {
				canary++;
			}
		}
		assertThat(canary / 20_000.0).isCloseTo(0.30, within(0.015));
	}

	@Test
	void noCanaryOrWeightZeroAlwaysGivesStable() {
		Deployment noCanary = new Deployment("fraud", "default", 1, null, 5000, null, 0, "client", "s", 2000);
		for (int i = 0; i < 1000; i++) {
			assertThat(VersionChoice.choose(noCanary, "k" + i, new SplittableRandom(i))).isEqualTo(1);
			assertThat(VersionChoice.choose(fraud(0), "k" + i, new SplittableRandom(i))).isEqualTo(1);
		}
		assertThat(VersionChoice.choose(fraud(10_000), "any", new SplittableRandom(1))).isEqualTo(2);
	}

}
