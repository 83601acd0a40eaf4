package io.servinglayer.gateway.balancing;

import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker of one instance: closed, ejected (open) for a while after too many
 * failures in a row, then half-open until one trial attempt closes or re-opens it. Time
 * is passed in, so the state machine is tested by moving a clock. Thread-safe; every
 * method holds the breaker's lock, which only attempts at this one instance contend for.
 */
final class InstanceBreaker {

	/** Where a breaker stands. */
	enum State {

		/** Attempts go through; failures in a row are counted. */
		CLOSED,

		/** Ejected: no attempt goes through until the ejection ends. */
		OPEN,

		/**
		 * The ejection ended: one trial attempt goes through, which closes or re-opens
		 * it.
		 */
		HALF_OPEN

	}

	/** How an attempt was let through, which decides what its outcome changes. */
	enum Admission {

		/**
		 * The breaker was closed: a failure counts towards ejection, a success resets the
		 * count.
		 */
		REGULAR,

		/**
		 * The one trial of a half-open breaker: a success closes it, a failure re-opens
		 * it.
		 */
		TRIAL,

		/**
		 * Sent although the breaker is open (every candidate was ejected, or another
		 * attempt holds the trial): its outcome changes nothing.
		 */
		WHILE_EJECTED

	}

	private final String instanceId;

	private final String pool;

	private final int threshold;

	private final Duration baseEjectionTime;

	private final Duration maxEjectionTime;

	private int consecutiveFailures;

	/** Ejections in a row; the next ejection lasts base-ejection-time times one more. */
	private int ejections;

	/** When the current ejection ends; {@code null} while closed. */
	private Instant openUntil;

	/** When the trial under way started; {@code null} when there is none. */
	private Instant trialStarted;

	/** When the breaker last closed again after an ejection. */
	private Instant closedAt;

	InstanceBreaker(Instance instance, BalancingSettings settings) {
		this.instanceId = instance.instanceId();
		this.pool = instance.pool();
		this.threshold = settings.consecutiveFailures();
		this.baseEjectionTime = settings.baseEjectionTime();
		this.maxEjectionTime = settings.maxEjectionTime();
	}

	String instanceId() {
		return this.instanceId;
	}

	String pool() {
		return this.pool;
	}

	synchronized State state(Instant now) {
		if (this.openUntil == null) {
			return State.CLOSED;
		}
		return now.isBefore(this.openUntil) ? State.OPEN : State.HALF_OPEN;
	}

	/** Whether an attempt at {@code now} would be let through as regular or trial. */
	synchronized boolean admits(Instant now) {
		return switch (state(now)) {
			case CLOSED -> true;
			case OPEN -> false;
			case HALF_OPEN -> !trialUnderWay(now);
		};
	}

	/**
	 * Lets an attempt through, taking the trial when the breaker is half-open and it is
	 * free.
	 */
	synchronized Admission admit(Instant now) {
		return switch (state(now)) {
			case CLOSED -> Admission.REGULAR;
			case OPEN -> Admission.WHILE_EJECTED;
			case HALF_OPEN -> {
				if (trialUnderWay(now)) {
					yield Admission.WHILE_EJECTED;
				}
				this.trialStarted = now;
				yield Admission.TRIAL;
			}
		};
	}

	/**
	 * A trial whose outcome never came (it cannot happen while every attempt has a
	 * timeout, but a breaker must not stay half-open for good if it did) stops holding
	 * the trial after max-ejection-time.
	 */
	private boolean trialUnderWay(Instant now) {
		return this.trialStarted != null && now.isBefore(this.trialStarted.plus(this.maxEjectionTime));
	}

	/**
	 * Records a failed attempt.
	 * @return how long the instance is now ejected for, or {@code null} when this failure
	 * did not eject it
	 */
	synchronized Duration failed(Instant now, Admission admission) {
		if (admission == Admission.TRIAL) {
			this.trialStarted = null;
			return eject(now);
		}
		// A regular attempt that ends after its instance was ejected by others tells
		// nothing new. (A threshold of 0, never eject, makes no breaker at all.)
		if (admission == Admission.REGULAR && state(now) == State.CLOSED
				&& ++this.consecutiveFailures >= this.threshold) {
			return eject(now);
		}
		return null;
	}

	/**
	 * Records a successful attempt.
	 * @return whether it closed the breaker (the trial succeeded)
	 */
	synchronized boolean succeeded(Instant now, Admission admission) {
		if (admission == Admission.TRIAL) {
			this.trialStarted = null;
			this.openUntil = null;
			this.consecutiveFailures = 0;
			this.closedAt = now;
			return true;
		}
		if (admission == Admission.REGULAR && state(now) == State.CLOSED) {
			this.consecutiveFailures = 0;
		}
		return false;
	}

	/** An attempt that ended without an outcome (cancelled): frees the trial it held. */
	synchronized void abandoned(Admission admission) {
		if (admission == Admission.TRIAL) {
			this.trialStarted = null;
		}
	}

	/**
	 * Whether the breaker holds nothing worth keeping: closed, no failures counted, and
	 * any past ejection forgotten.
	 */
	synchronized boolean blank(Instant now) {
		return this.openUntil == null && this.consecutiveFailures == 0 && ejectionsForgotten(now);
	}

	private Duration eject(Instant now) {
		if (this.openUntil == null && ejectionsForgotten(now)) {
			this.ejections = 0;
		}
		this.ejections++;
		Duration time = this.baseEjectionTime.multipliedBy(this.ejections);
		if (time.compareTo(this.maxEjectionTime) > 0) {
			time = this.maxEjectionTime;
		}
		this.openUntil = now.plus(time);
		this.consecutiveFailures = 0;
		return time;
	}

	/** An instance healthy for max-ejection-time since it came back starts afresh. */
	private boolean ejectionsForgotten(Instant now) {
		return this.ejections == 0
				|| (this.closedAt != null && !now.isBefore(this.closedAt.plus(this.maxEjectionTime)));
	}

}
