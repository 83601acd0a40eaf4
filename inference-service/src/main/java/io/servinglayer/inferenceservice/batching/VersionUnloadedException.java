package io.servinglayer.inferenceservice.batching;

/**
 * The version stopped taking requests (a hot swap or an unload) before this one ran: the
 * caller may look the deployment up again and send it to the version that replaced it.
 * Its own type, so that no other failure is mistaken for it and retried.
 */
public class VersionUnloadedException extends RuntimeException {

	VersionUnloadedException(String version, String what) {
		super(version + " " + what);
	}

}
