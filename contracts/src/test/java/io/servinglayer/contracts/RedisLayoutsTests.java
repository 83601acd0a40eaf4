package io.servinglayer.contracts;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisLayoutsTests {

	@Test
	void anOnlineRowLivesAtTheViewVersionAndEntityWithMultiKeyEntitiesJoinedByABar() {
		assertThat(OnlineFeatureRow.key("servinglayer:", "fraud_features", 1, "card-1001"))
			.isEqualTo("servinglayer:fs:fraud_features:1:card-1001");
		assertThat(OnlineFeatureRow.entity(List.of("c-1", "77"))).isEqualTo("c-1|77");
		assertThat(OnlineFeatureRow.entity(List.of("c-1"))).isEqualTo("c-1");
	}

	@Test
	void aClientsTwoRateLimitKeysShareOneClusterHashTag() {
		String[] keys = RateLimitBucket.keys("sl:", "app-1");

		assertThat(keys).containsExactly(RateLimitBucket.bucketKey("sl:", "app-1"),
				RateLimitBucket.dailyKey("sl:", "app-1"));
		assertThat(keys[0]).isEqualTo("sl:ratelimit:{app-1}:bucket");
		assertThat(keys[1]).isEqualTo("sl:ratelimit:{app-1}:day");
	}

	@Test
	void theRevisionChannelCarriesTheRevisionInDecimalAndIgnoresAnythingElse() {
		assertThat(RoutingRevisionChannel.channel("servinglayer:")).isEqualTo(RoutingRevisionChannel.DEFAULT)
			.isEqualTo("servinglayer:routing");
		assertThat(RoutingRevisionChannel.revision(RoutingRevisionChannel.message(42))).isEqualTo(42);
		assertThat(RoutingRevisionChannel.revision(" 7\n")).isEqualTo(7);
		assertThat(RoutingRevisionChannel.revision("seven")).isEqualTo(-1);
		assertThat(RoutingRevisionChannel.revision("-3")).isEqualTo(-1);
	}

}
