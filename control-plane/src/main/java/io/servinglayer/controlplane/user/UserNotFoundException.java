package io.servinglayer.controlplane.user;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class UserNotFoundException extends ApiProblem {

	UserNotFoundException(String username) {
		super(HttpStatus.NOT_FOUND, "user-not-found", "User not found", "There is no user '" + username + "'");
	}

}
