package io.servinglayer.controlplane.user;

import java.util.Map;

import io.servinglayer.controlplane.audit.AuditLog;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audits console sign-ins, successful or not. Only the username and the kind of failure
 * are recorded, never what was typed as the password.
 */
@Component
class LoginAudit {

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	LoginAudit(AuditLog audit, TransactionTemplate transactions) {
		this.audit = audit;
		this.transactions = transactions;
	}

	@EventListener
	void succeeded(AuthenticationSuccessEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken login) {
			this.transactions.executeWithoutResult((status) -> this.audit.record("user.login", "user", login.getName(),
					null, Map.of("outcome", "success")));
		}
	}

	@EventListener
	void failed(AbstractAuthenticationFailureEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken login) {
			this.transactions.executeWithoutResult(
					(status) -> this.audit.record("user.login-failed", "user", String.valueOf(login.getName()), null,
							Map.of("outcome", "failure", "reason", event.getException().getClass().getSimpleName())));
		}
	}

}
