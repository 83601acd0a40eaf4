package io.servinglayer.inferenceservice.system;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.inferenceservice.announce.AnnouncementSettings;
import io.servinglayer.inferenceservice.announce.InstanceAnnouncer;
import io.servinglayer.inferenceservice.drift.DriftSettings;
import io.servinglayer.inferenceservice.features.FeatureSettings;
import io.servinglayer.inferenceservice.features.FeatureViewReadings;
import io.servinglayer.inferenceservice.features.OnlineFeatureCache;
import io.servinglayer.inferenceservice.features.OnlineStore;
import io.servinglayer.inferenceservice.reconcile.InferenceSettings;
import io.servinglayer.inferenceservice.reconcile.Reconciler;
import io.servinglayer.inferenceservice.runtime.RuntimeSettings;
import io.servinglayer.inferenceservice.serving.ServingTable;
import io.servinglayer.inferenceservice.serving.VersionState;
import io.servinglayer.inferenceservice.serving.VersionStatus;
import io.servinglayer.routingclient.FollowerSettings;
import io.servinglayer.routingclient.RoutingFollower;
import io.servinglayer.routingclient.SharedRedisClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the instance to the control plane: a routing follower with the instance's own
 * client, the reconciler that loads what the snapshot assigns, and the readiness check
 * over both; and to Redis, through one client (single node or cluster) that the routing
 * follower, the announcer and the online store open their connections from.
 */
@Configuration(proxyBeanMethods = false)
class ServingConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.inference.redis-uri")
	SharedRedisClient redisClient(InferenceSettings settings) {
		return SharedRedisClient.create(settings.redisUri(), settings.redisCluster(), Duration.ofSeconds(1));
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.inference.control-plane")
	RoutingFollower routingFollower(InferenceSettings settings, ObjectProvider<SharedRedisClient> redis, Clock clock,
			MeterRegistry meters) {
		return new RoutingFollower(
				new FollowerSettings(settings.controlPlane(), settings.clientId(), settings.clientSecret(),
						settings.stateDirectory().resolve("routing.json"), null, settings.routingChannel(), null, null),
				redis.getIfAvailable(), clock, meters);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.inference.control-plane")
	Reconciler reconciler(InferenceSettings settings, RuntimeSettings runtime, DriftSettings drift, ServingTable table,
			RoutingFollower follower, MeterRegistry meters, Clock clock) {
		return new Reconciler(settings, runtime, drift, table, follower, meters, clock);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.inference.redis-uri")
	InstanceAnnouncer instanceAnnouncer(AnnouncementSettings announcement, InferenceSettings settings,
			SharedRedisClient redis, ServingTable table, FeatureViewReadings readings, Environment environment,
			Clock clock) {
		String instanceId = (announcement.instanceId() != null) ? announcement.instanceId()
				: UUID.randomUUID().toString().substring(0, 8);
		String baseUrl = (announcement.baseUrl() != null) ? announcement.baseUrl()
				: "http://127.0.0.1:" + environment.getProperty("server.port", "8082");
		return new InstanceAnnouncer(
				new AnnouncementSettings(
						instanceId, baseUrl, announcement.keyPrefix(), announcement.heartbeat(), announcement.ttl()),
				settings.pool(), redis,
				() -> table.all()
					.stream()
					.map((served) -> served.deployment() + "/" + served.version())
					.sorted()
					.toList(),
				table::statuses,
				() -> readings.take()
					.stream()
					.map((reading) -> new InstanceAnnouncement.FeatureViewReading(reading.view(), reading.version(),
							reading.hits(), reading.misses(), reading.rowsRead(), reading.rowAgeMillisSum(),
							reading.oldestRowAgeMillis()))
					.toList(),
				clock);
	}

	/**
	 * Counted whether or not the instance announces itself: predictions record into it
	 * either way.
	 */
	@Bean
	FeatureViewReadings featureViewReadings() {
		return new FeatureViewReadings();
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	@ConditionalOnProperty("servinglayer.inference.redis-uri")
	OnlineStore onlineStore(SharedRedisClient redis, FeatureSettings features, MeterRegistry meters) {
		return new OnlineStore(redis, features, meters);
	}

	@Bean
	@ConditionalOnProperty("servinglayer.inference.redis-uri")
	OnlineFeatureCache onlineFeatureCache(OnlineStore store, FeatureSettings features) {
		return new OnlineFeatureCache(store, features);
	}

	/**
	 * Ready only when a routing snapshot is held and every version it assigns here is
	 * warm. An instance that follows no control plane serves nothing, and is ready doing
	 * so.
	 */
	@Bean
	HealthIndicator modelsHealthIndicator(ServingTable table, InferenceSettings settings) {
		return () -> {
			if (settings.controlPlane() == null) {
				return Health.up().withDetail("routing", "no control plane configured; serving nothing").build();
			}
			if (!table.routed()) {
				return Health.outOfService().withDetail("routing", "no routing snapshot yet").build();
			}
			Map<String, String> versions = new LinkedHashMap<>();
			boolean allReady = true;
			for (VersionStatus status : table.statuses()) {
				versions.put(status.deployment() + "/" + status.version(),
						status.state() + ((status.reason() != null) ? ": " + status.reason() : ""));
				allReady &= status.state() == VersionState.READY;
			}
			return (allReady ? Health.up() : Health.outOfService()).withDetail("versions", versions).build();
		};
	}

}
