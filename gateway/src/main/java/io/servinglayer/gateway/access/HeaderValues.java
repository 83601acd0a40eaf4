package io.servinglayer.gateway.access;

import java.util.function.Predicate;

/**
 * The header values Spring Security's strict firewall accepts (assigned characters, no
 * control characters but tab: {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}), checked
 * by a loop instead of that regular expression: the firewall checks every header value
 * read, the bearer token of several hundred characters included.
 */
final class HeaderValues implements Predicate<String> {

	@Override
	public boolean test(String value) {
		if (value == null) {
			// Asked of a header that is absent: nothing to refuse.
			return true;
		}
		int length = value.length();
		for (int i = 0; i < length;) {
			char c = value.charAt(i);
			if ((c >= 0x20 && c < 0x7F) || c == '\t') {
				i++;
				continue;
			}
			int codePoint = value.codePointAt(i);
			if (!Character.isDefined(codePoint) || Character.getType(codePoint) == Character.CONTROL) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

}
