package io.servinglayer.inferenceservice.protocol;

/**
 * Marks a failure that is the caller's doing (a request that does not fit, an entity
 * whose row the view refuses): counted as {@code CLIENT_ERROR}, never as a server error.
 */
public interface CallersMistake {

}
