package io.servinglayer.contracts;

import java.time.Duration;

/**
 * A prediction an inference instance served, kept so that a label sent later (feedback)
 * can be joined to it by request id. One hash per request:
 *
 * <pre>
 * {prefix}served:{requestId}
 *   model      the deployment that answered
 *   version    the version that answered, a number
 *   rows       how many predictions the answer held (instances, or rows of the batch)
 *   predicted  each row's prediction, a JSON array in row order: for an output of shape
 *              [rows, classes] with more than one class, the index of the top class
 *              (as the gateway's shadow agreement compares them); otherwise the row's
 *              value (a number, true/false, or a string for BYTES)
 *   at         when it was served, epoch milliseconds
 *   joined     when feedback was joined to it, epoch milliseconds; absent until then
 *   expires the TTL after it was served (servinglayer.inference.served-predictions.ttl)
 * </pre>
 *
 * Only the first output of the answer is kept. Written by the inference instances
 * ({@code ServedPredictions}: one script per prediction that writes the hash and its TTL
 * together, pipelined in batches, off the request thread), never for shadow copies; read
 * by the gateway's feedback endpoint ({@code FeedbackJoin}), which sets {@code joined}
 * only when the key still exists and {@code joined} is absent, so a label is counted
 * once. Nothing else writes here.
 */
public final class ServedPrediction {

	public static final String MODEL = "model";

	public static final String VERSION = "version";

	public static final String ROWS = "rows";

	public static final String PREDICTED = "predicted";

	public static final String AT = "at";

	public static final String JOINED = "joined";

	/** How long a served prediction is kept, unless configured otherwise. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(24);

	/**
	 * The request header by which the gateway marks a shadow copy: its answer is no
	 * served prediction, and it carries the primary's request id.
	 */
	public static final String SHADOW_HEADER = "Servinglayer-Shadow-Copy";

	private ServedPrediction() {
	}

	/** The hash of the prediction served to request {@code requestId}. */
	public static String key(String prefix, String requestId) {
		return prefix + "served:" + requestId;
	}

}
