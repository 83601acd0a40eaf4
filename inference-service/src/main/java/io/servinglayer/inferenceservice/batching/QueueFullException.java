package io.servinglayer.inferenceservice.batching;

/**
 * The version cannot take the request now: its queue is full, or the request waited in it
 * longer than it may. The request is shed instead of waiting without bound.
 */
public class QueueFullException extends RuntimeException {

	public QueueFullException(String version, int capacity) {
		super("the queue of " + version + " is full (" + capacity + " requests waiting)");
	}

	private QueueFullException(String message) {
		super(message);
	}

	static QueueFullException waitedTooLong(String version, long waitedMicros, long boundMicros) {
		return new QueueFullException("the request waited " + waitedMicros / 1000 + " ms in the queue of " + version
				+ ", over its bound of " + boundMicros / 1000 + " ms: shed instead of answered late");
	}

}
