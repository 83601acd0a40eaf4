package io.servinglayer.controlplane.registry;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which deployments serve a model or one of its versions. It reads the deployment table
 * directly because the deployment feature depends on the registry, not the other way
 * round; callers hold the model's row lock, which deployment changes also take, so the
 * answer cannot go stale before their transaction ends.
 */
@Repository
class DeploymentReferences {

	private final JdbcClient jdbc;

	DeploymentReferences(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<String> ofModel(long modelId) {
		return this.jdbc.sql("SELECT name FROM deployment WHERE model_id = ? ORDER BY name")
			.param(modelId)
			.query(String.class)
			.list();
	}

	List<String> ofVersion(long modelId, int version) {
		return this.jdbc.sql("""
				SELECT name FROM deployment
				WHERE model_id = ? AND (CAST(spec ->> 'stableVersion' AS integer) = ?
				   OR CAST(spec -> 'canary' ->> 'version' AS integer) = ?
				   OR CAST(spec -> 'shadow' ->> 'version' AS integer) = ?)
				ORDER BY name""").params(modelId, version, version, version).query(String.class).list();
	}

}
