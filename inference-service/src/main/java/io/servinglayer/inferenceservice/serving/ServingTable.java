package io.servinglayer.inferenceservice.serving;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * What this instance serves right now: the warm versions by deployment and number, which
 * version each deployment's plain {@code infer} uses, and the state of every assigned
 * version. Written by the reconciler, read on every request.
 */
@Component
public class ServingTable {

	private final Map<String, ServedVersion> served = new ConcurrentHashMap<>();

	private final Map<String, Integer> current = new ConcurrentHashMap<>();

	private volatile Map<String, VersionStatus> statuses = Map.of();

	private volatile boolean routed;

	public Optional<ServedVersion> version(String deployment, int version) {
		return Optional.ofNullable(this.served.get(key(deployment, version)));
	}

	/**
	 * The deployment's stable version, when it is warm here. A hot swap moves the pointer
	 * before it removes the old version, so a lookup that lost the race to a removal
	 * reads the pointer again.
	 */
	public Optional<ServedVersion> current(String deployment) {
		for (int attempt = 0; attempt < 3; attempt++) {
			Integer version = this.current.get(deployment);
			if (version == null) {
				return Optional.empty();
			}
			Optional<ServedVersion> served = version(deployment, version);
			if (served.isPresent()) {
				return served;
			}
		}
		return Optional.empty();
	}

	public boolean knows(String deployment) {
		return this.current.containsKey(deployment);
	}

	public Collection<ServedVersion> all() {
		return this.served.values();
	}

	public void put(ServedVersion version) {
		this.served.put(key(version.deployment(), version.version()), version);
	}

	public ServedVersion remove(String deployment, int version) {
		return this.served.remove(key(deployment, version));
	}

	public void setCurrent(Map<String, Integer> stableVersions) {
		this.current.keySet().retainAll(stableVersions.keySet());
		this.current.putAll(stableVersions);
	}

	public void setStatuses(List<VersionStatus> statuses, boolean routed) {
		Map<String, VersionStatus> byKey = new ConcurrentHashMap<>();
		statuses.forEach((status) -> byKey.put(key(status.deployment(), status.version()), status));
		this.statuses = byKey;
		this.routed = routed;
	}

	/** Every version assigned to this instance, with its state. */
	public Collection<VersionStatus> statuses() {
		return this.statuses.values();
	}

	/** Whether a routing snapshot has been applied at all. */
	public boolean routed() {
		return this.routed;
	}

	private static String key(String deployment, int version) {
		return deployment + "/" + version;
	}

}
