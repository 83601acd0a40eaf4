package io.servinglayer.controlplane.user;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/**
 * A change that would leave no enabled admin, and so nobody who could manage users again.
 */
class LastAdminException extends ApiProblem {

	LastAdminException(String username) {
		super(HttpStatus.CONFLICT, "last-admin", "Last admin", "'" + username
				+ "' is the last enabled admin; make another user an admin first, so that somebody can still manage users");
	}

}
