package io.servinglayer.controlplane.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's report of an error it answers itself, before the application sees the request
 * (a path with an encoded slash, backslash or NUL, say): a problem document instead of
 * Tomcat's HTML page. Tomcat makes it from its class name, so it needs a public no-arg
 * constructor and must not depend on the application context.
 */
public class ProblemReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		String type = switch (status) {
			case 400 -> "malformed-request";
			case 404 -> "not-found";
			case 405 -> "method-not-allowed";
			default -> (status >= 500) ? "internal-error" : "malformed-request";
		};
		String detail = (status == 400)
				? "The request could not be read: its path or headers are malformed (an encoded slash, backslash or "
						+ "NUL in the path is refused)"
				: title;
		String body = "{\"type\":\"" + ApiProblem.TYPE_BASE + type + "\",\"title\":\"" + title + "\",\"status\":"
				+ status + ",\"detail\":\"" + detail + "\"}";
		try {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setContentLength(bytes.length);
			response.getOutputStream().write(bytes);
			response.finishResponse();
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away, or the response cannot take a body: nothing more to
			// do.
		}
	}

}
