package io.servinglayer.controlplane.idempotency;

import java.util.Map;

/** The stored answer to a keyed POST, and the hash of the request that got it. */
record IdempotencyRecord(String requestHash, int status, Map<String, String> headers, byte[] body, boolean replayable) {
}
