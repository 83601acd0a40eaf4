package io.servinglayer.controlplane.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps artifacts in PostgreSQL as fixed-size {@code bytea} chunks. */
@Component
class PostgresArtifactStore implements ArtifactStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final int chunkSize;

	PostgresArtifactStore(JdbcClient jdbc, Clock clock, ArtifactProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.chunkSize = (int) properties.chunkSize().toBytes();
	}

	@Override
	public void store(SpooledArtifact artifact) {
		long chunks = (artifact.sizeBytes() + this.chunkSize - 1) / this.chunkSize;
		// A concurrent upload of the same bytes waits here for the other transaction; if
		// that one
		// commits, this one finds the row and writes nothing.
		int inserted = this.jdbc.sql("""
				INSERT INTO artifact (digest, size_bytes, chunk_count, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (digest) DO NOTHING""")
			.params(artifact.digest(), artifact.sizeBytes(), chunks, OffsetDateTime.now(this.clock))
			.update();
		if (inserted == 0) {
			return;
		}
		byte[] buffer = new byte[this.chunkSize];
		try (InputStream in = Files.newInputStream(artifact.file())) {
			for (int seq = 0;; seq++) {
				int length = in.readNBytes(buffer, 0, buffer.length);
				if (length == 0) {
					break;
				}
				byte[] data = (length == buffer.length) ? buffer : Arrays.copyOf(buffer, length);
				this.jdbc.sql("INSERT INTO artifact_chunk (digest, seq, data) VALUES (?, ?, ?)")
					.params(artifact.digest(), seq, data)
					.update();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not read the spooled artifact", ex);
		}
	}

	@Override
	public Optional<StoredArtifact> find(String digest) {
		return this.jdbc.sql("SELECT digest, size_bytes FROM artifact WHERE digest = ?")
			.param(digest)
			.query((rs, row) -> new StoredArtifact(rs.getString("digest"), rs.getLong("size_bytes")))
			.optional();
	}

	@Override
	public void copyTo(String digest, OutputStream out) throws IOException {
		int chunks = this.jdbc.sql("SELECT chunk_count FROM artifact WHERE digest = ?")
			.param(digest)
			.query(Integer.class)
			.single();
		// One chunk per query: the store never holds more than one chunk of an artifact
		// in memory.
		for (int seq = 0; seq < chunks; seq++) {
			byte[] data = this.jdbc.sql("SELECT data FROM artifact_chunk WHERE digest = ? AND seq = ?")
				.params(digest, seq)
				.query(byte[].class)
				.single();
			out.write(data);
		}
		out.flush();
	}

}
