package io.servinglayer.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeBucketTests {

	@Test
	void aBucketsKeyNamesDeploymentVersionAndItsStart() {
		assertThat(OutcomeBucket.key("sl:", "fraud", 2, 1_764_669_600)).isEqualTo("sl:outcomes:fraud:2:1764669600");
		assertThat(OutcomeBucket.bucketStart(1_764_669_607, 10)).isEqualTo(1_764_669_600);
	}

	@Test
	void aLatencyFallsInTheFirstBucketWhoseBoundHoldsItOrBeyondThemAll() {
		assertThat(OutcomeBucket.latencyField(25, OutcomeBucket.DEFAULT_LATENCY_BOUNDS_MS)).isEqualTo("le_25");
		assertThat(OutcomeBucket.latencyField(26, OutcomeBucket.DEFAULT_LATENCY_BOUNDS_MS)).isEqualTo("le_50");
		assertThat(OutcomeBucket.latencyField(5001, OutcomeBucket.DEFAULT_LATENCY_BOUNDS_MS)).isEqualTo("le_inf");
	}

}
