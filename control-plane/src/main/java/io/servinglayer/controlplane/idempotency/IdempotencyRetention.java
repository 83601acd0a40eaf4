package io.servinglayer.controlplane.idempotency;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Forgets idempotency keys older than the retention, so the table stays bounded. */
@Component
class IdempotencyRetention {

	private static final Logger logger = LoggerFactory.getLogger(IdempotencyRetention.class);

	private final IdempotencyRecords records;

	private final IdempotencyProperties properties;

	private final Clock clock;

	IdempotencyRetention(IdempotencyRecords records, IdempotencyProperties properties, Clock clock) {
		this.records = records;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
	void purge() {
		int deleted = this.records.deleteOlderThan(this.clock.instant().minus(this.properties.retention()));
		if (deleted > 0) {
			logger.info("Forgot {} idempotency keys older than {}", deleted, this.properties.retention());
		}
	}

}
