package io.servinglayer.controlplane.deploymentstatus;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.servinglayer.contracts.InstanceAnnouncement;
import io.servinglayer.controlplane.deployment.Deployment;
import io.servinglayer.controlplane.deployment.DeploymentService;
import io.servinglayer.controlplane.deployment.DeploymentSpec;
import io.servinglayer.controlplane.deploymentstatus.DeploymentStatus.InstanceStatus;
import io.servinglayer.controlplane.deploymentstatus.DeploymentStatus.VersionState;
import io.servinglayer.controlplane.deploymentstatus.DeploymentStatus.VersionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Collects a deployment's status from the announcements of its pool's inference instances
 * (written by the inference service's {@code InstanceAnnouncer}, read by
 * {@link InstanceAnnouncements}).
 */
@Service
public class DeploymentStatuses {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentStatuses.class);

	private final DeploymentService deployments;

	private final InstanceAnnouncements announcements;

	private final Clock clock;

	DeploymentStatuses(DeploymentService deployments, InstanceAnnouncements announcements, Clock clock) {
		this.deployments = deployments;
		this.announcements = announcements;
		this.clock = clock;
	}

	/**
	 * The deployment's status as its pool's instances announce it now.
	 * @throws io.servinglayer.controlplane.system.ApiProblem a 404
	 * {@code deployment-not-found} problem when there is no such deployment
	 * @throws DeploymentStatusUnavailableException when Redis cannot be read
	 */
	public DeploymentStatus of(String deployment) {
		Deployment found = this.deployments.get(deployment);
		DeploymentSpec spec = found.spec();
		Instant now = this.clock.instant();
		List<InstanceStatus> instances = new ArrayList<>();
		for (Map.Entry<String, InstanceAnnouncement> announcement : announcements(deployment, spec.pool(), now)
			.entrySet()) {
			InstanceStatus instance = parse(deployment, announcement.getKey(), announcement.getValue());
			if (instance != null) {
				instances.add(instance);
			}
		}
		return new DeploymentStatus(deployment, spec.pool(), now, instances, summarize(spec, instances));
	}

	/** The live instances' announcements by instance id, in id order. */
	private Map<String, InstanceAnnouncement> announcements(String deployment, String pool, Instant now) {
		try {
			return this.announcements.live(pool, now);
		}
		catch (DataAccessException ex) {
			throw new DeploymentStatusUnavailableException(deployment, ex);
		}
	}

	/**
	 * One instance with this deployment's versions; {@code null} for an announcement that
	 * names a version that is not a number. An instance that announces no
	 * {@code versions} (an older release) has its {@code readyVersions} counted as warm.
	 */
	private static InstanceStatus parse(String deployment, String instanceId, InstanceAnnouncement announcement) {
		try {
			List<VersionState> versions = new ArrayList<>();
			if (announcement.versions() != null) {
				for (InstanceAnnouncement.AssignedVersion version : announcement.versions()) {
					if (version != null && deployment.equals(version.deployment())) {
						versions.add(new VersionState(version.version(), version.state(), version.reason()));
					}
				}
			}
			else if (announcement.readyVersions() != null) {
				String prefix = deployment + "/";
				for (String name : announcement.readyVersions()) {
					if (name != null && name.startsWith(prefix)) {
						versions.add(new VersionState(Integer.parseInt(name.substring(prefix.length())),
								VersionState.WARM, null));
					}
				}
			}
			versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
			return new InstanceStatus(instanceId, announcement.baseUrl(), announcedAt(announcement.announcedAt()),
					versions);
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignoring the announcement of instance {}, which is not one: {}", instanceId, ex.getMessage());
			return null;
		}
	}

	private static Instant announcedAt(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** One summary per version the spec names or an instance reports, by number. */
	private static List<VersionStatus> summarize(DeploymentSpec spec, List<InstanceStatus> instances) {
		Map<Integer, String> roles = new TreeMap<>();
		roles.put(spec.stableVersion(), VersionStatus.STABLE);
		if (spec.canary() != null) {
			roles.putIfAbsent(spec.canary().version(), VersionStatus.CANARY);
		}
		if (spec.shadow() != null) {
			roles.putIfAbsent(spec.shadow().version(), VersionStatus.SHADOW);
		}
		for (InstanceStatus instance : instances) {
			for (VersionState state : instance.versions()) {
				roles.putIfAbsent(state.version(), VersionStatus.NONE);
			}
		}
		List<VersionStatus> summaries = new ArrayList<>(roles.size());
		roles.forEach((version, role) -> {
			int warm = 0;
			int loading = 0;
			int failed = 0;
			Set<String> reasons = new LinkedHashSet<>();
			for (InstanceStatus instance : instances) {
				for (VersionState state : instance.versions()) {
					if (state.version() != version) {
						continue;
					}
					if (VersionState.WARM.equals(state.state())) {
						warm++;
					}
					else if (VersionState.LOADING.equals(state.state())) {
						loading++;
					}
					else if (VersionState.FAILED.equals(state.state())) {
						failed++;
						if (state.reason() != null) {
							reasons.add(state.reason());
						}
					}
				}
			}
			summaries.add(new VersionStatus(version, role, warm, loading, failed, List.copyOf(reasons)));
		});
		return summaries;
	}

}
