package io.servinglayer.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link between a service under test and a real server (Redis, say) that the test
 * can slow down or cut, to see how the service behaves when its dependency is slow or
 * gone. Loopback only.
 */
public final class TcpLink implements AutoCloseable {

	private final ServerSocket listener;

	private final InetSocketAddress target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile Duration delay = Duration.ZERO;

	private volatile boolean cut;

	private TcpLink(ServerSocket listener, InetSocketAddress target) {
		this.listener = listener;
		this.target = target;
	}

	/** A link on a free loopback port to {@code host:port}. */
	public static TcpLink to(String host, int port) {
		try {
			ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			TcpLink link = new TcpLink(listener, new InetSocketAddress(host, port));
			Thread acceptor = new Thread(link::accept, "tcp-link-" + listener.getLocalPort());
			acceptor.setDaemon(true);
			acceptor.start();
			return link;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not open a link", ex);
		}
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/** Holds every chunk of bytes this long before passing it on, both ways. */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** Drops every connection and refuses new ones until {@link #restore()}. */
	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpLink::closeQuietly);
		this.sockets.clear();
	}

	public void restore() {
		this.cut = false;
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				if (this.cut) {
					client.close();
					continue;
				}
				Socket server = new Socket();
				server.connect(this.target, 2000);
				this.sockets.add(client);
				this.sockets.add(server);
				pump(client, server);
				pump(server, client);
			}
			catch (IOException ex) {
				// Closed, or the target refused: the client sees its connection drop.
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					Duration pause = this.delay;
					if (!pause.isZero()) {
						Thread.sleep(pause.toMillis());
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// The link or one end closed.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tcp-link-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

	@Override
	public void close() {
		cut();
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

}
