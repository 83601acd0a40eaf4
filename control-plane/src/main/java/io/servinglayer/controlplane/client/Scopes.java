package io.servinglayer.controlplane.client;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The scopes a client's tokens may carry. The admin API's rules are in
 * {@code AccessConfiguration}; the {@code predict} scopes open nothing here and are
 * enforced by the gateway (as is {@code feedback:write}), and {@code inference:call}
 * opens nothing here and is enforced by the inference instances.
 */
public final class Scopes {

	/** Read models, versions, feature views. */
	public static final String REGISTRY_READ = "registry:read";

	/** Register and change models and feature views, upload versions. */
	public static final String REGISTRY_WRITE = "registry:write";

	/**
	 * What a CI pipeline needs: upload versions, change deployments, start and steer
	 * rollouts.
	 */
	public static final String DEPLOY = "deploy";

	/** Everything: clients, users, signing keys, audit. */
	public static final String ADMIN = "admin";

	/**
	 * Read the routing snapshot: what the gateway and inference services need from the
	 * control plane.
	 */
	public static final String ROUTING_READ = "routing:read";

	/**
	 * Write rows to the online feature store: what a feature pipeline needs, and nothing
	 * else.
	 */
	public static final String FEATURES_WRITE = "features:write";

	/** Call any model through the gateway. */
	public static final String PREDICT = "predict";

	/**
	 * Call inference instances directly: what the gateway needs, and nothing else.
	 */
	public static final String INFERENCE_CALL = "inference:call";

	/**
	 * Send observed labels for served predictions to the gateway's feedback endpoint:
	 * what a labelling pipeline needs. A predict scope does not include it.
	 */
	public static final String FEEDBACK_WRITE = "feedback:write";

	public static final List<String> FIXED = List.of(REGISTRY_READ, REGISTRY_WRITE, DEPLOY, ADMIN, ROUTING_READ,
			FEATURES_WRITE, PREDICT, INFERENCE_CALL, FEEDBACK_WRITE);

	/** {@code predict:{model}}: call one model through the gateway. */
	private static final Pattern PREDICT_ONE = Pattern.compile("predict:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private Scopes() {
	}

	public static boolean isKnown(String scope) {
		return scope != null && (FIXED.contains(scope) || PREDICT_ONE.matcher(scope).matches());
	}

	/** Spring Security authorities for the scopes, as the resource server names them. */
	public static String[] authorities(Collection<String> scopes) {
		return scopes.stream().map((scope) -> "SCOPE_" + scope).toArray(String[]::new);
	}

}
