package io.servinglayer.inferenceservice.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report as a problem document, with the protocol's {@code error} member:
 * what Tomcat answers itself, before any servlet runs (a malformed request line, a path
 * with an encoded slash or NUL, headers past
 * {@code server.max-http-request-header-size}), is no longer an HTML page. Tomcat makes
 * it from its class name, so it is public; it says nothing of the server or the failure
 * beyond the status.
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
		String detail = detail(status);
		String type = (status >= 500) ? "internal-error"
				: (status == 404) ? "not-found" : (status == 408) ? "request-timeout" : "malformed-request";
		String body = "{\"type\":\"https://servinglayer.dev/problems/" + type + "\",\"title\":\"" + title
				+ "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"error\":\"" + detail + "\"}";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		try {
			response.setContentType("application/problem+json");
			response.setContentLength(bytes.length);
			OutputStream out = response.getOutputStream();
			out.write(bytes);
			response.finishResponse();
		}
		catch (IOException | IllegalStateException ex) {
			// The caller is gone or the answer already started: nothing more to say.
		}
	}

	private static String detail(int status) {
		return switch (status) {
			case 400 -> "the request could not be read: its request line, path or headers are malformed, "
					+ "or the headers are larger than this instance accepts";
			case 404 -> "nothing is served at this path";
			case 408 -> "the request did not arrive in time";
			case 413 -> "the request is larger than this instance accepts";
			case 414 -> "the request line is longer than this instance accepts";
			case 431 -> "the request headers are larger than this instance accepts";
			case 505 -> "only HTTP/1.1 and HTTP/2 are served";
			default -> (status >= 500) ? "the instance failed to answer; see its log"
					: "the request was refused (" + status + ")";
		};
	}

}
