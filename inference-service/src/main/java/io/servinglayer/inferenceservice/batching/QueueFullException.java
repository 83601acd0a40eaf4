package io.servinglayer.inferenceservice.batching;

/** The version's queue is full: the request is shed instead of waiting without bound. */
public class QueueFullException extends RuntimeException {

	public QueueFullException(String version, int capacity) {
		super("the queue of " + version + " is full (" + capacity + " requests waiting)");
	}

}
