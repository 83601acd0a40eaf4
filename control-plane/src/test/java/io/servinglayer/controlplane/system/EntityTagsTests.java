package io.servinglayer.controlplane.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class EntityTagsTests {

	@Test
	void matchesAQuotedTagInAListOrAStar() {
		assertThat(EntityTags.matches("\"3\"", "3")).isTrue();
		assertThat(EntityTags.matches("\"1\", \"3\"", "3")).isTrue();
		assertThat(EntityTags.matches("*", "3")).isTrue();
		assertThat(EntityTags.matches("W/\"3\"", "3")).isTrue();
		assertThat(EntityTags.matches("\"2\"", "3")).isFalse();
		assertThat(EntityTags.matches("3", "3")).isFalse();
	}

	@Test
	void requiresIfMatchOnUpdatesAndNamesTheCurrentTagWhenStale() {
		assertThatExceptionOfType(PreconditionRequiredException.class)
			.isThrownBy(() -> EntityTags.requireMatch(null, "3", "model 'x'"));
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> EntityTags.requireMatch("\"2\"", "3", "model 'x'"))
			.withMessageContaining("\"3\"");
		assertThatNoException().isThrownBy(() -> EntityTags.requireMatch("\"3\"", "3", "model 'x'"));
		assertThatNoException().isThrownBy(() -> EntityTags.checkMatch(null, "3", "model 'x'"));
	}

}
