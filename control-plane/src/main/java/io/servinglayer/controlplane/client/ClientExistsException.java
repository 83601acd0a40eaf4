package io.servinglayer.controlplane.client;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class ClientExistsException extends ApiProblem {

	ClientExistsException(String clientId) {
		super(HttpStatus.CONFLICT, "client-exists", "Client exists", "A client '" + clientId + "' already exists");
	}

}
