package io.servinglayer.gateway.system;

import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;

/**
 * Where each of the gateway's filters on the generic chain runs, lower first, in one
 * place. Model calls on the lean path pass none of them: {@code ModelCallHandler} does
 * the same steps itself, in the order its comment gives.
 * <p>
 * Web filters wrap every exchange, whether or not a route matches:
 * <ol>
 * <li>{@link #ACCESS_LOG} and {@link #HTTP10_KEEP_ALIVE}: outermost, so the line and the
 * header cover answers made by every later step, errors included;</li>
 * <li>{@link #REQUEST_IDENTITY}: the request id and trace context, before anything can
 * fail;</li>
 * <li>{@link #REQUEST_HEADER_LIMIT}, then {@link #REQUEST_SIZE_LIMIT}: refuse what is too
 * large before any work is done for it;</li>
 * <li>Spring Security's chain at -100, which authenticates and checks scopes;</li>
 * <li>{@link #CALLER}: names the authenticated client for everything after it.</li>
 * </ol>
 * Global filters run inside Spring Cloud Gateway once a route matched, among its own
 * (which keep their orders): {@link #RATE_LIMITING}, {@link #OUTCOME_RECORDING} around
 * {@link #MODEL_ROUTING}, then {@link #INSTANCE_FORWARDING} once the route's URI has
 * become the request URL. {@link #PROBLEM_HANDLER} answers failures ahead of Boot's own
 * error handler (-1).
 */
public final class FilterOrder {

	public static final int ACCESS_LOG = Ordered.HIGHEST_PRECEDENCE;

	public static final int HTTP10_KEEP_ALIVE = Ordered.HIGHEST_PRECEDENCE;

	public static final int REQUEST_IDENTITY = Ordered.HIGHEST_PRECEDENCE + 10;

	public static final int REQUEST_HEADER_LIMIT = Ordered.HIGHEST_PRECEDENCE + 15;

	public static final int REQUEST_SIZE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 20;

	/** Just after Spring Security's chain (-100). */
	public static final int CALLER = -90;

	public static final int RATE_LIMITING = -50;

	public static final int OUTCOME_RECORDING = -45;

	public static final int MODEL_ROUTING = -40;

	/** After Spring Cloud Gateway turns the route's URI into the request URL. */
	public static final int INSTANCE_FORWARDING = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

	/** A web exception handler, ahead of Boot's default one (-1). */
	public static final int PROBLEM_HANDLER = -2;

	private FilterOrder() {
	}

}
