package io.servinglayer.gateway.balancing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.timeout.ReadTimeoutException;
import io.servinglayer.gateway.balancing.InstanceBreaker.Admission;
import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the pick goes round ejected instances. */
class InstanceForwardingTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T00:00:00Z"));

	private final BalancingSettings settings = new BalancingSettings(Duration.ofSeconds(1), Duration.ofMillis(800),
			Duration.ofSeconds(30), 1000, Duration.ofSeconds(1), 5, Duration.ofSeconds(5), Duration.ofSeconds(60), 50);

	private final InstanceBreakers breakers = new InstanceBreakers(this.settings, this.clock,
			new SimpleMeterRegistry());

	private final InstanceForwarding forwarding = new InstanceForwarding(null, new InstancePicker(new Random(7)),
			this.breakers, this.settings, InstanceCredential.none());

	private final Instance ejected = new Instance("ejected", "http://ejected:1", "default", Set.of("fraud/1"));

	private final Instance healthy = new Instance("healthy", "http://healthy:1", "default", Set.of("fraud/1"));

	@Test
	void moreEjectionsThanTheMaxShareAreIgnoredForThePick() {
		Instance third = new Instance("third", "http://third:1", "default", Set.of("fraud/1"));
		Instance fourth = new Instance("fourth", "http://fourth:1", "default", Set.of("fraud/1"));
		eject(this.ejected);
		eject(third);
		List<Instance> candidates = List.of(this.ejected, third, fourth, this.healthy);
		// Two of four ejected: within 50 %, so only the admitting two are picked.
		for (int i = 0; i < 50; i++) {
			assertThat(this.forwarding.pick(candidates, new HashSet<>()).instance()).isIn(fourth, this.healthy);
		}
		eject(fourth);
		// Three of four: beyond 50 %, so every candidate may be picked again.
		Set<Instance> picked = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			picked.add(this.forwarding.pick(candidates, new HashSet<>()).instance());
		}
		assertThat(picked).contains(this.ejected, third, fourth, this.healthy);
	}

	@Test
	void anEjectedInstanceIsNotPickedWhileAnotherIsAdmitting() {
		eject(this.ejected);
		for (int i = 0; i < 50; i++) {
			InstanceForwarding.Attempt attempt = this.forwarding.pick(List.of(this.ejected, this.healthy),
					new HashSet<>());
			assertThat(attempt.instance()).isSameAs(this.healthy);
			assertThat(attempt.admission()).isEqualTo(Admission.REGULAR);
		}
	}

	@Test
	void whenEveryCandidateIsEjectedOneIsTriedAnywayRatherThanNone() {
		eject(this.ejected);

		InstanceForwarding.Attempt attempt = this.forwarding.pick(List.of(this.ejected), new HashSet<>());

		assertThat(attempt.instance()).isSameAs(this.ejected);
		assertThat(attempt.admission()).isEqualTo(Admission.WHILE_EJECTED);
		assertThat(this.forwarding.pick(List.of(), new HashSet<>())).isNull();
	}

	@Test
	void onlyOneAttemptIsTheTrialOfAHalfOpenInstance() {
		eject(this.ejected);
		this.clock.advance(Duration.ofSeconds(5));

		InstanceForwarding.Attempt trial = this.forwarding.pick(List.of(this.ejected), new HashSet<>());
		assertThat(trial.admission()).isEqualTo(Admission.TRIAL);
		for (int i = 0; i < 20; i++) {
			assertThat(this.forwarding.pick(List.of(this.ejected, this.healthy), new HashSet<>()).instance())
				.isSameAs(this.healthy);
		}
	}

	private void eject(Instance instance) {
		for (int i = 0; i < 5; i++) {
			this.breakers.failed(instance, this.breakers.admit(instance), "answered 503");
		}
	}

}
