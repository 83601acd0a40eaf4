package io.servinglayer.controlplane.rollout;

/**
 * Where a rollout stands. {@code Pending → Progressing ⇄ Paused → Promoted | RolledBack |
 * Aborted}; the last three are final.
 */
public enum RolloutState {

	/**
	 * Created: the canary is on the deployment at weight 0 and loading; no traffic yet.
	 */
	Pending,

	/** The canary takes its current step's weight and is judged at each step's end. */
	Progressing,

	/**
	 * Held by a person ({@code :pause}), by a manual change of the deployment, or for
	 * lack of traffic; the weight stays as it was. {@code :resume} starts the step again.
	 */
	Paused,

	/** The canary became the stable version; the old one stays warm for a while. */
	Promoted,

	/** The analysis found a breach (or the canary never got warm): its weight is 0. */
	RolledBack,

	/** Stopped by a person: the canary's weight is 0. */
	Aborted;

	boolean isFinal() {
		return this == Promoted || this == RolledBack || this == Aborted;
	}

}
