package io.servinglayer.controlplane.user;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** A signed-in person asking to disable their own user, which would end their session. */
class DisablingYourselfException extends ApiProblem {

	DisablingYourselfException(String username) {
		super(HttpStatus.CONFLICT, "disabling-yourself", "Disabling yourself",
				"You are signed in as '" + username + "' and cannot disable yourself; another admin can");
	}

}
