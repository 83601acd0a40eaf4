package io.servinglayer.controlplane.slo;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * SLO status as Prometheus gauges, refreshed every
 * {@code servinglayer.control-plane.slo.gauge-refresh} (30 s):
 * {@code slo_error_budget_remaining} and {@code slo_burn_rate} (with a {@code window}
 * tag), each tagged with the deployment, the objective and the version.
 */
@Component
class SloGauges {

	private static final Logger logger = LoggerFactory.getLogger(SloGauges.class);

	private final Slos slos;

	private final SloStatuses statuses;

	private final MultiGauge budget;

	private final MultiGauge burn;

	SloGauges(Slos slos, SloStatuses statuses, MeterRegistry meters) {
		this.slos = slos;
		this.statuses = statuses;
		this.budget = MultiGauge.builder("slo.error.budget.remaining")
			.description("Share of the objective's error budget left over its window (below 0 when overspent)")
			.register(meters);
		this.burn = MultiGauge.builder("slo.burn.rate")
			.description("How fast the objective's error budget burns over the window (1 = as the objective allows)")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${servinglayer.control-plane.slo.gauge-refresh:30s}", initialDelay = 5_000)
	void refresh() {
		List<MultiGauge.Row<?>> budgets = new ArrayList<>();
		List<MultiGauge.Row<?>> burns = new ArrayList<>();
		try {
			for (DeploymentSlos deployment : this.slos.all()) {
				SloStatus status = this.statuses.of(deployment.deployment());
				for (SloStatus.ObjectiveStatus objective : status.objectives()) {
					for (SloStatus.VersionStatus version : objective.versions()) {
						Tags tags = Tags.of("deployment", status.deployment(), "slo", objective.name(), "version",
								Integer.toString(version.version()));
						if (version.errorBudgetRemaining() != null) {
							budgets.add(MultiGauge.Row.of(tags, version.errorBudgetRemaining()));
						}
						version.burnRates()
							.forEach((window, rate) -> burns.add(MultiGauge.Row.of(tags.and("window", window), rate)));
					}
				}
			}
			this.budget.register(budgets, true);
			this.burn.register(burns, true);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not refresh the SLO gauges: {}", ex.getMessage());
		}
	}

}
