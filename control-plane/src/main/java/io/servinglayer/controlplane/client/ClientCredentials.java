package io.servinglayer.controlplane.client;

import java.time.Instant;

/**
 * A client's new secret, shown once: when the client is created and when its secret is
 * rotated. {@code previousSecretExpiresAt} says until when the secret it replaces keeps
 * working.
 */
record ClientCredentials(String clientId, String clientSecret, Instant previousSecretExpiresAt, ClientResponse client) {
}
