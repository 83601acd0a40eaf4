package io.servinglayer.controlplane.client;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

class ClientNotFoundException extends ApiProblem {

	ClientNotFoundException(String clientId) {
		super(HttpStatus.NOT_FOUND, "client-not-found", "Client not found", "There is no client '" + clientId + "'");
	}

}
