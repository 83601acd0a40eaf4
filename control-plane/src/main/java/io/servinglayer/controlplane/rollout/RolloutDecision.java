package io.servinglayer.controlplane.rollout;

import java.time.Instant;

/**
 * One decision of a rollout, with the numbers it was taken on.
 *
 * @param verdict {@code advance} (the next step's weight applied), {@code extend} (too
 * little traffic: the step goes on), {@code promote}, {@code rollback}, {@code pause},
 * {@code resume} or {@code abort}
 * @param weight the canary's weight after the decision, in basis points
 * @param canary the canary's numbers over the window, {@code null} when none were read
 * @param stable the stable version's numbers over the same window
 * @param burnRate the canary's fastest burn of the deployment's SLO budgets over the
 * window, {@code null} without SLOs or traffic
 */
record RolloutDecision(int seq, int step, int weight, String verdict, String reason, Instant windowStart,
		Instant windowEnd, Side canary, Side stable, Double burnRate, String decidedBy, Instant decidedAt) {

	/** Requests, failed requests and p99 latency of one version over the window. */
	record Side(long requests, long errors, Double p99Ms) {
	}

}
