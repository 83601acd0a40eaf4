package io.servinglayer.controlplane.client;

import java.net.URI;

import io.servinglayer.controlplane.system.EntityTags;
import io.servinglayer.controlplane.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Clients",
		description = "Applications and pipelines that get tokens, with their scopes, tenant and rate plan; "
				+ "needs the admin scope")
class ClientController {

	private final ClientService service;

	ClientController(ClientService service) {
		this.service = service;
	}

	@PostMapping("/clients")
	@Operation(summary = "Create a client",
			description = "The answer carries clientSecret, shown this once. Without a ratePlan the client gets "
					+ "50 requests per second with a burst of 100 and no daily quota.")
	ResponseEntity<ClientCredentials> create(@RequestBody CreateClientRequest request) {
		ClientCredentials created = this.service.create(request);
		return ResponseEntity.created(URI.create("/api/v1/clients/" + created.clientId()))
			.cacheControl(CacheControl.noStore())
			.body(created);
	}

	@GetMapping("/clients")
	@Operation(summary = "List clients by id")
	Page<ClientResponse> list(@RequestParam(required = false) Integer pageSize,
			@RequestParam(required = false) String pageToken) {
		return this.service.list(pageSize, pageToken).map(ClientResponse::of);
	}

	@GetMapping("/clients/{clientId}")
	@Operation(summary = "Get a client", description = "The ETag goes in If-Match of a later PATCH.")
	ResponseEntity<ClientResponse> get(@PathVariable String clientId) {
		return withTag(this.service.get(clientId));
	}

	@PatchMapping(path = "/clients/{clientId}", consumes = { "application/merge-patch+json", "application/json" })
	@Operation(summary = "Change a client's description, scopes, tenant or rate plan",
			description = "A JSON merge patch; needs If-Match. New scopes apply to tokens issued from now on.")
	ResponseEntity<ClientResponse> update(@PathVariable String clientId,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestBody UpdateClientRequest request) {
		return withTag(this.service.update(clientId, ifMatch, request));
	}

	@PostMapping("/clients/{clientId}:rotate-secret")
	@Operation(summary = "Give a client a new secret",
			description = "The answer carries the new clientSecret, shown this once. The old secret keeps working until "
					+ "previousSecretExpiresAt (servinglayer.control-plane.access.secret-rotation-grace).")
	ResponseEntity<ClientCredentials> rotateSecret(@PathVariable String clientId) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.service.rotateSecret(clientId));
	}

	@PostMapping("/clients/{clientId}:disable")
	@Operation(summary = "Disable a client", description = "Its token requests fail from now on.")
	ResponseEntity<ClientResponse> disable(@PathVariable String clientId) {
		return withTag(this.service.setDisabled(clientId, true));
	}

	@PostMapping("/clients/{clientId}:enable")
	@Operation(summary = "Enable a disabled client")
	ResponseEntity<ClientResponse> enable(@PathVariable String clientId) {
		return withTag(this.service.setDisabled(clientId, false));
	}

	private static ResponseEntity<ClientResponse> withTag(ApiClient client) {
		return ResponseEntity.ok().eTag(EntityTags.quote(client.entityTag())).body(ClientResponse.of(client));
	}

}
