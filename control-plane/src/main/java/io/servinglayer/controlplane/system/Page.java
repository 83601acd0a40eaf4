package io.servinglayer.controlplane.system;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list. {@code nextPageToken} is absent on the last page; pass it back as
 * {@code pageToken} to get the next one. Tokens are opaque to callers.
 */
public record Page<T>(List<T> items, String nextPageToken) {

	public static final int DEFAULT_SIZE = 50;

	public static final int MAX_SIZE = 500;

	/** Validates a requested page size, defaulting to {@value #DEFAULT_SIZE}. */
	public static int size(Integer requested) {
		if (requested == null) {
			return DEFAULT_SIZE;
		}
		if (requested < 1 || requested > MAX_SIZE) {
			throw new InvalidParameterException("pageSize", "must be between 1 and " + MAX_SIZE + ", got " + requested);
		}
		return requested;
	}

	/**
	 * Builds a page from up to {@code size + 1} rows fetched in key order: the extra row
	 * only tells that another page exists.
	 */
	public static <T> Page<T> of(List<T> rows, int size, Function<T, String> key) {
		if (rows.size() <= size) {
			return new Page<>(rows, null);
		}
		List<T> items = rows.subList(0, size);
		return new Page<>(List.copyOf(items), encode(key.apply(items.get(size - 1))));
	}

	public <R> Page<R> map(Function<T, R> mapper) {
		return new Page<>(this.items.stream().map(mapper).toList(), this.nextPageToken);
	}

	public static String encode(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	/** The numeric key a token stands for, or {@code null} for the first page. */
	public static Long decodeNumber(String token) {
		String key = decode(token);
		if (key == null) {
			return null;
		}
		try {
			return Long.parseLong(key);
		}
		catch (NumberFormatException ex) {
			throw new InvalidParameterException("pageToken", "must be a nextPageToken from an earlier page");
		}
	}

	/** The key a token stands for, or {@code null} for the first page. */
	public static String decode(String token) {
		if (token == null || token.isEmpty()) {
			return null;
		}
		try {
			return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidParameterException("pageToken", "must be a nextPageToken from an earlier page");
		}
	}

}
