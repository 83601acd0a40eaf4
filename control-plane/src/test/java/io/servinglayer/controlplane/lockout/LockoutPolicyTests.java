package io.servinglayer.controlplane.lockout;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LockoutPolicyTests {

	private final LockoutPolicy policy = new LockoutPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15));

	@ParameterizedTest(name = "{0} failures lock for {1}")
	@CsvSource({ "1, PT0S", "4, PT0S", "5, PT30S", "6, PT1M", "7, PT2M", "9, PT8M", "10, PT15M", "40, PT15M" })
	void theLockStartsAfterTheAllowedFailuresAndDoublesUpToTheLongest(int failures, Duration lock) {
		assertThat(this.policy.lockFor(failures)).isEqualTo(lock);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "'0, PT30S, PT15M', max-failures", "'5, PT0S, PT15M', initial-lock", "'5, PT1M, PT30S', max-lock" })
	void settingsThatMakeNoSenseAreRefusedNamingTheSetting(String settings, String named) {
		String[] parts = settings.split(", ");
		assertThatIllegalArgumentException().isThrownBy(
				() -> new LockoutPolicy(Integer.parseInt(parts[0]), Duration.parse(parts[1]), Duration.parse(parts[2])))
			.withMessageContaining(named);
	}

}
