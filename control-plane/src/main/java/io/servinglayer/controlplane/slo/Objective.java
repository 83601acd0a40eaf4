package io.servinglayer.controlplane.slo;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One service level objective of a deployment: the share of good events ({@code sli})
 * that must hold over a rolling {@code window}. Fields that do not belong to the SLI are
 * absent.
 * <p>
 * Example: {@code {"name": "p99-latency", "sli": "latency", "objective": 0.99, "window":
 * "28d", "thresholdMs": 500}}: 99 % of requests answered within 500 ms over 28 days.
 *
 * @param name the objective's name, unique in its deployment: a DNS label
 * @param sli what is measured: {@code availability} (requests answered without a server
 * error or timeout), {@code latency} (requests answered within {@code thresholdMs}) or
 * {@code freshness} (online feature rows read at most {@code maxAgeSeconds} old)
 * @param objective the share of good events, at least 0.5 and below 1 (0.999 = 99.9 %)
 * @param window the rolling window the objective holds over: {@code <n>d} (1-90 days) or
 * {@code <n>h} (1-2160 hours)
 * @param thresholdMs for {@code latency} only: the slowest good answer, one of the
 * gateway's latency histogram bounds
 * @param maxAgeSeconds for {@code freshness} only: the oldest good feature row, one of
 * the inference instances' freshness histogram bounds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Objective(String name, String sli, Double objective, String window, Integer thresholdMs,
		Integer maxAgeSeconds) {

	/** Requests answered without a server error or timeout. */
	public static final String AVAILABILITY = "availability";

	/** Requests answered within {@code thresholdMs}. */
	public static final String LATENCY = "latency";

	/** Online feature rows at most {@code maxAgeSeconds} old when read. */
	public static final String FRESHNESS = "freshness";

	/** Every SLI an objective can measure. */
	public static final List<String> SLIS = List.of(AVAILABILITY, LATENCY, FRESHNESS);

	static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,3})([dh])");

	/**
	 * The window as a duration: {@code 28d} is 28 days, {@code 12h} 12 hours.
	 * @throws IllegalArgumentException if the window is not {@code <n>d} or {@code <n>h}
	 */
	@JsonIgnore
	public Duration windowDuration() {
		Matcher matcher = (this.window != null) ? WINDOW.matcher(this.window) : null;
		if (matcher == null || !matcher.matches()) {
			throw new IllegalArgumentException(
					"window must be <n>d or <n>h, such as 28d or 12h, got '" + this.window + "'");
		}
		long amount = Long.parseLong(matcher.group(1));
		return "d".equals(matcher.group(2)) ? Duration.ofDays(amount) : Duration.ofHours(amount);
	}

}
