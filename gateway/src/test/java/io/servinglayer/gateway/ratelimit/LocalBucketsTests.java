package io.servinglayer.gateway.ratelimit;

import io.servinglayer.gateway.routing.RatePlan;
import java.time.Duration;
import java.time.Instant;

import io.servinglayer.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBucketsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

	@Test
	void allowsTheBurstThenRefusesUntilATokenRefills() {
		LocalBuckets buckets = new LocalBuckets(this.clock, 100);
		RatePlan plan = new RatePlan(2, 3, null);
		assertThat(buckets.decide("a", plan).remaining()).isEqualTo(2);
		assertThat(buckets.decide("a", plan).remaining()).isEqualTo(1);
		RateLimitDecision last = buckets.decide("a", plan);
		assertThat(last.allowed()).isTrue();
		assertThat(last.remaining()).isZero();
		assertThat(last.limit()).isEqualTo(3);
		assertThat(last.resetSeconds()).isEqualTo(2);
		RateLimitDecision refused = buckets.decide("a", plan);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfterSeconds()).isEqualTo(1);

		this.clock.advance(Duration.ofMillis(500));
		assertThat(buckets.decide("a", plan).allowed()).isTrue();
		assertThat(buckets.decide("b", plan).allowed()).as("another client has its own bucket").isTrue();
	}

	@Test
	void aDailyQuotaRefusesUntilMidnightUtcAndNamesItselfInTheHeaders() {
		LocalBuckets buckets = new LocalBuckets(this.clock, 100);
		RatePlan plan = new RatePlan(100, 100, 2L);
		RateLimitDecision first = buckets.decide("a", plan);
		assertThat(first.limit()).isEqualTo(2);
		assertThat(first.remaining()).isEqualTo(1);
		assertThat(buckets.decide("a", plan).allowed()).isTrue();
		RateLimitDecision refused = buckets.decide("a", plan);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfterSeconds()).isEqualTo(12 * 3600);
		assertThat(refused.resetSeconds()).isEqualTo(12 * 3600);

		this.clock.advance(Duration.ofHours(12));
		assertThat(buckets.decide("a", plan).allowed()).isTrue();
	}

	@Test
	void forgetsTheLeastRecentlySeenClientBeyondItsBound() {
		LocalBuckets buckets = new LocalBuckets(this.clock, 2);
		RatePlan plan = new RatePlan(1, 1, null);
		assertThat(buckets.decide("a", plan).allowed()).isTrue();
		assertThat(buckets.decide("a", plan).allowed()).isFalse();
		buckets.decide("b", plan);
		buckets.decide("c", plan);
		assertThat(buckets.decide("a", plan).allowed()).as("a was forgotten and starts full").isTrue();
	}

}
