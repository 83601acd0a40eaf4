package io.servinglayer.inferenceservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Ends a refused call whose body was not read to its end (refused before it was read, or
 * cut by the body-read timeout) on the instance's terms: the answer is sent whole, what
 * the caller goes on sending is read and discarded for
 * {@code servinglayer.inference.http.unread-body-linger} (2 MB at most), so the caller
 * gets to read the answer, and then the connection is closed. Tomcat alone would read up
 * to 2 MB of the rest on the worker thread at the sender's pace, so a caller trickling a
 * body it knew would be refused could hold the thread long after its answer. Answered
 * calls read their body to its end themselves, within its bounds, and keep their
 * connection.
 */
class UnreadBodyValve extends ValveBase {

	private static final int MAX_DISCARDED = 2 * 1024 * 1024;

	private final long lingerNanos;

	UnreadBodyValve(Duration linger) {
		super(true);
		this.lingerNanos = linger.toNanos();
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		// A status sent with sendError is still to be rendered (error page, report
		// valve):
		// left to Tomcat.
		if (response.getStatus() < 400 || response.isError() || request.isAsync()
				|| request.getCoyoteRequest().isFinished()) {
			return;
		}
		response.finishResponse();
		if (discardedToTheEnd(request)) {
			return;
		}
		request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
	}

	/** Whether the rest of the body arrived, and was discarded, within the linger. */
	private boolean discardedToTheEnd(Request request) {
		long until = System.nanoTime() + this.lingerNanos;
		byte[] buffer = new byte[8192];
		int left = MAX_DISCARDED;
		try {
			InputStream rest = request.getInputStream();
			while (left > 0 && System.nanoTime() - until < 0) {
				int n = rest.read(buffer, 0, Math.min(buffer.length, left));
				if (n < 0) {
					return true;
				}
				left -= n;
			}
		}
		catch (IOException | IllegalStateException ex) {
			// timed out, gone, or read as characters: closed below
		}
		return false;
	}

}
