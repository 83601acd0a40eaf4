package io.servinglayer.inferenceservice.features;

import java.time.Duration;

import io.servinglayer.inferenceservice.features.FeatureViewReadings.Reading;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureViewReadingsTests {

	@Test
	void countsAddUpPerViewVersionAndTheOldestRowIsKeptPerWindow() {
		FeatureViewReadings readings = new FeatureViewReadings();
		readings.lookups("cards", 1, 3, 1);
		readings.lookups("cards", 1, 1, 0);
		readings.lookups("cards", 2, 0, 2);
		readings.rowRead("cards", 1, Duration.ofSeconds(2));
		readings.rowRead("cards", 1, Duration.ofSeconds(6));
		readings.rowRead("accounts", 1, Duration.ofMillis(-5));

		assertThat(readings.take()).containsExactly(new Reading("accounts", 1, 0, 0, 1, 0, 0),
				new Reading("cards", 1, 4, 1, 2, 8_000, 6_000), new Reading("cards", 2, 0, 2, 0, 0, 0));

		readings.rowRead("cards", 1, Duration.ofSeconds(1));
		assertThat(readings.take()).as("counts go on growing; the oldest row is the new window's")
			.contains(new Reading("cards", 1, 4, 1, 3, 9_000, 1_000), new Reading("accounts", 1, 0, 0, 1, 0, 0));
	}

	@Test
	void countsNoMoreViewVersionsThanTheBound() {
		FeatureViewReadings readings = new FeatureViewReadings();
		for (int version = 1; version <= FeatureViewReadings.MAX_VIEWS + 5; version++) {
			readings.lookups("cards", version, 1, 0);
		}
		readings.lookups("cards", 1, 1, 0);

		assertThat(readings.take()).hasSize(FeatureViewReadings.MAX_VIEWS)
			.first()
			.isEqualTo(new Reading("cards", 1, 2, 0, 0, 0, 0));
	}

}
