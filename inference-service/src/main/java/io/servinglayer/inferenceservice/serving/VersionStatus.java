package io.servinglayer.inferenceservice.serving;

/** The state of one assigned version, with the reason when it failed. */
public record VersionStatus(String deployment, int version, String digest, VersionState state, String reason) {
}
