package io.servinglayer.contracts;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceAnnouncementTests {

	@Test
	void keysNameThePoolsIndexAndEachInstancesDocumentUnderThePrefixWithThePoolAsHashTag() {
		assertThat(InstanceAnnouncement.indexKey("sl:", "default")).isEqualTo("sl:instances:{default}");
		assertThat(InstanceAnnouncement.key("sl:", "default", "a1")).isEqualTo("sl:instances:{default}:a1");
		assertThat(InstanceAnnouncement.readyName("fraud", 2)).isEqualTo("fraud/2");
	}

	@Test
	void aDocumentReadsBackAsItWasWrittenAndUnknownMembersAreIgnored() {
		InstanceAnnouncement written = new InstanceAnnouncement("a1", "http://10.0.0.7:8082", "default",
				List.of("fraud/1"),
				List.of(new InstanceAnnouncement.AssignedVersion("fraud", 1, "warm", null),
						new InstanceAnnouncement.AssignedVersion("fraud", 2, "failed", "warm-up failed: shape")),
				"2026-12-02T10:00:00Z");
		JsonMapper writer = JsonMapper.builder().build();
		JsonMapper reader = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

		String json = writer.writeValueAsString(written);

		assertThat(reader.readValue(json, InstanceAnnouncement.class)).isEqualTo(written);
		assertThat(reader.readValue(json.replace("{\"instanceId\"", "{\"addedLater\":1,\"instanceId\""),
				InstanceAnnouncement.class))
			.isEqualTo(written);
	}

	@Test
	void anAnnouncementOfAnOlderInstanceHasNoVersions() {
		JsonMapper reader = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

		InstanceAnnouncement old = reader
			.readValue("{\"instanceId\":\"a1\",\"baseUrl\":\"http://h:1\",\"pool\":\"p\",\"readyVersions\":[\"m/1\"],"
					+ "\"announcedAt\":\"2026-12-02T10:00:00Z\"}", InstanceAnnouncement.class);

		assertThat(old.versions()).isNull();
		assertThat(old.readyVersions()).containsExactly("m/1");
		assertThat(old.featureViews()).isNull();
	}

	@Test
	void featureViewReadingsReadBackAndAReaderThatKnowsNoneStillReadsTheRest() {
		InstanceAnnouncement written = new InstanceAnnouncement("a1", "http://10.0.0.7:8082", "default",
				List.of("fraud/1"), List.of(new InstanceAnnouncement.AssignedVersion("fraud", 1, "warm", null)),
				"2026-12-02T10:00:00Z",
				List.of(new InstanceAnnouncement.FeatureViewReading("fraud_features", 2, 90, 10, 98, 196_000, 4_000)));
		JsonMapper reader = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		String json = JsonMapper.builder().build().writeValueAsString(written);

		assertThat(reader.readValue(json, InstanceAnnouncement.class)).isEqualTo(written);
		assertThat(reader.readValue(json, BeforeFeatureViews.class)).isEqualTo(new BeforeFeatureViews("a1",
				"http://10.0.0.7:8082", "default", List.of("fraud/1"), written.versions(), "2026-12-02T10:00:00Z"));
	}

	/** The announcement as readers before feature view readings knew it. */
	record BeforeFeatureViews(String instanceId, String baseUrl, String pool, List<String> readyVersions,
			List<InstanceAnnouncement.AssignedVersion> versions, String announcedAt) {
	}

}
