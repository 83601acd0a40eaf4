package io.servinglayer.controlplane.user;

import java.util.LinkedHashMap;
import java.util.Map;

import io.servinglayer.controlplane.audit.AuditLog;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audits console sign-ins, once per attempt, successful or not. Only the username, the
 * source address and the kind of failure are recorded, never what was typed as the
 * password.
 */
@Component
class LoginAudit {

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	LoginAudit(AuditLog audit, TransactionTemplate transactions) {
		this.audit = audit;
		this.transactions = transactions;
	}

	void succeeded(String username, String source) {
		this.transactions.executeWithoutResult((status) -> this.audit.record("user.login", "user", username, null,
				Map.of("outcome", "success", "source", source)));
	}

	/**
	 * @param details what else to record: consecutive failures, the lock they earned
	 */
	void failed(String username, String source, String reason, Map<String, Object> details) {
		Map<String, Object> after = new LinkedHashMap<>();
		after.put("outcome", "failure");
		after.put("reason", reason);
		after.put("source", source);
		after.putAll(details);
		this.transactions
			.executeWithoutResult((status) -> this.audit.record("user.login-failed", "user", username, null, after));
	}

}
