package io.servinglayer.controlplane.user;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class UserExistsException extends ApiProblem {

	UserExistsException(String username) {
		super(HttpStatus.CONFLICT, "user-exists", "User exists", "A user '" + username + "' already exists");
	}

}
