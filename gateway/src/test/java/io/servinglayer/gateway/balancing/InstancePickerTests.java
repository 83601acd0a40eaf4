package io.servinglayer.gateway.balancing;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstancePickerTests {

	private final Instance busy = new Instance("busy", "http://busy:1", "default", Set.of("fraud/1"));

	private final Instance idle = new Instance("idle", "http://idle:1", "default", Set.of("fraud/1"));

	@Test
	void ofTwoCandidatesTheOneWithFewerRequestsInFlightIsPicked() {
		InstancePicker picker = new InstancePicker(new Random(7));
		picker.started(this.busy);
		picker.started(this.busy);
		for (int i = 0; i < 50; i++) {
			assertThat(picker.pick(List.of(this.busy, this.idle), Set.of())).isSameAs(this.idle);
		}
	}

	@Test
	void anInstanceAlreadyTriedIsAvoidedUnlessNothingElseIsLeft() {
		InstancePicker picker = new InstancePicker(new Random(7));
		assertThat(picker.pick(List.of(this.busy, this.idle), Set.of("http://idle:1"))).isSameAs(this.busy);
		assertThat(picker.pick(List.of(this.idle), Set.of("http://idle:1"))).isSameAs(this.idle);
		assertThat(picker.pick(List.of(), Set.of())).isNull();
	}

	@Test
	void countsReturnToZeroAfterConcurrentStartsAndFinishes() throws Exception {
		InstancePicker picker = new InstancePicker(new Random(7));
		ExecutorService threads = Executors.newFixedThreadPool(8);
		CountDownLatch go = new CountDownLatch(1);
		try {
			for (int t = 0; t < 8; t++) {
				threads.execute(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					for (int i = 0; i < 20_000; i++) {
						picker.started(this.busy);
						picker.finished(this.busy);
					}
				});
			}
			go.countDown();
			threads.shutdown();
			assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(picker.inFlight(this.busy)).isZero();
		picker.started(this.busy);
		assertThat(picker.inFlight(this.busy)).isOne();
	}

}
