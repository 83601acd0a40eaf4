package io.servinglayer.controlplane.featureviewstatus;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.controlplane.deployment.Deployment;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deploymentstatus.InstanceAnnouncements;
import io.servinglayer.controlplane.featureview.FeatureView;
import io.servinglayer.controlplane.featureview.FeatureViewNotFoundException;
import io.servinglayer.controlplane.featureview.FeatureViewRepository;
import io.servinglayer.controlplane.featureviewstatus.FeatureViewStatus.Binding;
import io.servinglayer.controlplane.featureviewstatus.FeatureViewStatus.InstanceReadings;
import io.servinglayer.controlplane.featureviewstatus.FeatureViewStatus.Readings;
import io.servinglayer.controlplane.featureviewstatus.FeatureViewStatus.VersionStatus;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Collects a feature view's status: the model versions bound to it (from the registry),
 * the deployments that route them, and the readings the live instances of those
 * deployments' pools announce for it. One registry query, one read of the deployments,
 * and two Redis round trips per pool.
 */
@Service
class FeatureViewStatuses {

	/** The most bound model versions listed for one view. */
	static final int MAX_BINDINGS = 1000;

	private final FeatureViewRepository views;

	private final DeploymentService deployments;

	private final InstanceAnnouncements announcements;

	private final JdbcClient jdbc;

	private final Clock clock;

	FeatureViewStatuses(FeatureViewRepository views, DeploymentService deployments, InstanceAnnouncements announcements,
			JdbcClient jdbc, Clock clock) {
		this.views = views;
		this.deployments = deployments;
		this.announcements = announcements;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * @throws FeatureViewNotFoundException when there is no such view (404)
	 * @throws FeatureViewStatusUnavailableException when Redis cannot be read (503)
	 */
	FeatureViewStatus of(String name) {
		List<FeatureView> versions = this.views.versions(name);
		if (versions.isEmpty()) {
			throw new FeatureViewNotFoundException(name, null);
		}
		List<Deployment> all = this.deployments.all();
		Map<Integer, List<Binding>> bindings = bindings(name, all);
		Map<String, String> poolOf = new TreeMap<>();
		all.forEach((deployment) -> poolOf.put(deployment.name(), deployment.spec().pool()));
		Set<String> pools = new TreeSet<>();
		bindings.values()
			.forEach((bound) -> bound.forEach(
					(binding) -> binding.deployments().forEach((deployment) -> pools.add(poolOf.get(deployment)))));
		Instant now = this.clock.instant();
		Map<Integer, List<InstanceReadings>> measured = new TreeMap<>();
		for (String pool : pools) {
			Map<String, InstanceAnnouncement> live;
			try {
				live = this.announcements.live(pool, now);
			}
			catch (DataAccessException ex) {
				throw new FeatureViewStatusUnavailableException(name, ex);
			}
			live.forEach((instanceId, announcement) -> {
				if (announcement.featureViews() == null) {
					return;
				}
				for (InstanceAnnouncement.FeatureViewReading reading : announcement.featureViews()) {
					if (reading != null && name.equals(reading.name())) {
						measured.computeIfAbsent(reading.version(), (version) -> new ArrayList<>())
							.add(new InstanceReadings(instanceId, pool, announcedAt(announcement),
									Readings.of(reading.cacheHits(), reading.cacheMisses(), reading.rowsRead(),
											reading.rowAgeMillisSum(), reading.oldestRowAgeMillis())));
					}
				}
			});
		}
		List<VersionStatus> statuses = new ArrayList<>(versions.size());
		for (FeatureView view : versions) {
			List<InstanceReadings> instances = measured.getOrDefault(view.version(), List.of());
			statuses.add(new VersionStatus(view.version(), bindings.getOrDefault(view.version(), List.of()),
					total(instances), instances));
		}
		return new FeatureViewStatus(name, now, statuses);
	}

	/** The model versions bound to each version of the view, with who routes them. */
	private Map<Integer, List<Binding>> bindings(String name, List<Deployment> all) {
		Map<String, Map<Integer, List<String>>> routed = new TreeMap<>();
		for (Deployment deployment : all) {
			for (int version : deployment.spec().versions()) {
				routed.computeIfAbsent(deployment.spec().model(), (model) -> new TreeMap<>())
					.computeIfAbsent(version, (v) -> new ArrayList<>())
					.add(deployment.name());
			}
		}
		Map<Integer, List<Binding>> bindings = new TreeMap<>();
		this.jdbc.sql("""
				SELECT m.name, v.version, v.feature_view_version FROM model_version v JOIN model m ON m.id = v.model_id
				WHERE v.feature_view_name = ? AND v.archived_at IS NULL
				ORDER BY m.name, v.version LIMIT ?""").params(name, MAX_BINDINGS).query((row, i) -> {
			String model = row.getString(1);
			int version = row.getInt(2);
			List<String> deployments = routed.getOrDefault(model, Map.of()).getOrDefault(version, List.of());
			bindings.computeIfAbsent(row.getInt(3), (view) -> new ArrayList<>())
				.add(new Binding(model, version, List.copyOf(new TreeSet<>(deployments))));
			return null;
		}).list();
		return bindings;
	}

	private static Readings total(List<InstanceReadings> instances) {
		if (instances.isEmpty()) {
			return Readings.NONE;
		}
		long hits = 0;
		long misses = 0;
		long rows = 0;
		double ageSum = 0;
		double oldest = 0;
		for (InstanceReadings instance : instances) {
			Readings readings = instance.readings();
			hits += readings.cacheHits();
			misses += readings.cacheMisses();
			rows += readings.rowsRead();
			ageSum += (readings.meanRowAgeSeconds() != null) ? readings.meanRowAgeSeconds() * readings.rowsRead() : 0;
			oldest = Math.max(oldest, (readings.oldestRowAgeSeconds() != null) ? readings.oldestRowAgeSeconds() : 0);
		}
		return Readings.of(hits, misses, rows, Math.round(ageSum * 1000), Math.round(oldest * 1000));
	}

	private static Instant announcedAt(InstanceAnnouncement announcement) {
		try {
			return (announcement.announcedAt() != null) ? Instant.parse(announcement.announcedAt()) : null;
		}
		catch (java.time.format.DateTimeParseException ex) {
			return null;
		}
	}

}
