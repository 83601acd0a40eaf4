package io.servinglayer.inferenceservice.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

/**
 * Ends a refused call whose body was not read to its end (refused before it was read, or
 * cut by the body-read timeout) on the instance's terms: the answer is sent whole, then
 * what the caller goes on sending is read and discarded for
 * {@code servinglayer.inference.http.unread-body-linger} (2 MB at most), so the caller
 * gets to read the answer; a body that ends within that keeps its connection, any other
 * has it closed. Tomcat alone would read up to 2 MB of the rest on the worker thread at
 * the sender's pace, so a caller trickling a body it knew would be refused could hold the
 * thread long after its answer. Answered calls read their body to its end themselves,
 * within its bounds, and keep their connection.
 */
class UnreadBodyValve extends ValveBase {

	private static final long MAX_DISCARDED = 2 * 1024 * 1024;

	private final long lingerNanos;

	UnreadBodyValve(Duration linger) {
		super(true);
		this.lingerNanos = linger.toNanos();
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		// A status sent with sendError is still to be rendered (an error page, the
		// report valve), so it is left to Tomcat.
		if (response.getStatus() < 400 || response.isError() || request.isAsync()
				|| request.getCoyoteRequest().isFinished()) {
			return;
		}
		// The whole answer goes first, so the caller can read it while the rest is
		// discarded.
		response.finishResponse();
		if (!discardedToTheEnd(request)) {
			request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
			// Closing marks the call as failed; its answer is already out, so no error
			// page or report is to follow.
			response.setErrorReported();
		}
	}

	/**
	 * Whether the rest of the body arrived, and was discarded, within the linger. Read
	 * below the servlet's stream, which finishing the answer closed.
	 */
	private boolean discardedToTheEnd(Request request) {
		long until = System.nanoTime() + this.lingerNanos;
		org.apache.coyote.Request coyote = request.getCoyoteRequest();
		Discarded discarded = new Discarded();
		long left = MAX_DISCARDED;
		try {
			while (left > 0 && System.nanoTime() - until < 0) {
				int n = coyote.doRead(discarded);
				if (n < 0) {
					return true;
				}
				left -= n;
			}
		}
		catch (IOException ex) {
			// timed out or gone: closed below
		}
		return false;
	}

	/** Where the container puts what it reads; nothing is kept. */
	private static final class Discarded implements ApplicationBufferHandler {

		private ByteBuffer buffer;

		@Override
		public void setByteBuffer(ByteBuffer buffer) {
			this.buffer = buffer;
		}

		@Override
		public ByteBuffer getByteBuffer() {
			return this.buffer;
		}

		@Override
		public void expand(int size) {
		}

	}

}
