package io.servinglayer.controlplane.user;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who is calling and what they may do: a signed-in person with their username, roles and
 * the scopes those grant, or an API client with its client id and its token's scopes.
 *
 * @param username the signed-in person; left out for a client
 * @param roles the person's roles; left out for a client
 * @param clientId the client the bearer token was issued to; left out for a person
 * @param scopes what the caller may do, sorted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MeResponse(String username, List<String> roles, String clientId, List<String> scopes) {

}
