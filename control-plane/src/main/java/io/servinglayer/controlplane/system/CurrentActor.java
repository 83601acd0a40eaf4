package io.servinglayer.controlplane.system;

import java.security.Principal;

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

	public String name() {
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
