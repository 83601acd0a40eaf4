package io.servinglayer.controlplane.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.servinglayer.controlplane.system.ApiProblem;
import io.servinglayer.controlplane.system.FieldError;
import jakarta.servlet.http.Part;

import org.springframework.http.HttpStatus;

/**
 * A multipart upload that sends a part more than once: which of the two was meant would
 * be a guess, so neither is used.
 */
class DuplicatePartException extends ApiProblem {

	private final String part;

	private final long count;

	DuplicatePartException(String part, long count) {
		super(HttpStatus.BAD_REQUEST, "duplicate-part", "Duplicate part",
				part + ": must be sent once; this request has " + count + " '" + part + "' parts");
		this.part = part;
		this.count = count;
	}

	/** Throws when any of {@code names} names more than one of {@code parts}. */
	static void requireOnce(Collection<Part> parts, String... names) {
		for (String name : names) {
			long count = parts.stream().filter((part) -> name.equals(part.getName())).count();
			if (count > 1) {
				throw new DuplicatePartException(name, count);
			}
		}
	}

	@Override
	protected Map<String, Object> extensions() {
		return Map.of("errors",
				List.of(new FieldError(this.part, "must be sent once; this request has " + this.count)));
	}

}
