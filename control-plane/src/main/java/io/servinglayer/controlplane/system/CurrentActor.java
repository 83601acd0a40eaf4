package io.servinglayer.controlplane.system;

import java.security.Principal;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who is making the current change, for audit events and {@code createdBy}: the
 * authenticated principal of the request, or {@code anonymous} when the request carries
 * none.
 */
@Component
public class CurrentActor {

	public static final String ANONYMOUS = "anonymous";

	/**
	 * Work the control plane does by itself (a rollout step, say), named for audit events
	 * and history instead of a request's principal.
	 */
	private static final ThreadLocal<String> SYSTEM_ACTOR = new ThreadLocal<>();

	/** Runs {@code work} with {@link #name()} answering {@code actor}. */
	public <T> T as(String actor, Supplier<T> work) {
		String before = SYSTEM_ACTOR.get();
		SYSTEM_ACTOR.set(actor);
		try {
			return work.get();
		}
		finally {
			if (before != null) {
				SYSTEM_ACTOR.set(before);
			}
			else {
				SYSTEM_ACTOR.remove();
			}
		}
	}

	public String name() {
		String system = SYSTEM_ACTOR.get();
		if (system != null) {
			return system;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			HttpServletRequest request = servlet.getRequest();
			Principal principal = request.getUserPrincipal();
			if (principal != null && principal.getName() != null) {
				return principal.getName();
			}
		}
		return ANONYMOUS;
	}

}
