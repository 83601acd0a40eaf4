package io.servinglayer.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The client-facing gateway: HTTPS, JWT authentication, per-client rate limits, canary
 * splits, shadow copies and model-aware load balancing in front of the inference
 * instances.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

	/**
	 * Reactor Netty's own default, at least four event loops, leaves a gateway on a small
	 * machine with more loops than cores, each waking for its share of the connections.
	 * One per core, as nginx's {@code worker_processes auto}, cost a model call less CPU
	 * (BENCHMARKS.md, "Session 9"). Set before anything of Reactor Netty loads; an
	 * operator's {@code -Dreactor.netty.ioWorkerCount} wins.
	 */
	static final String EVENT_LOOPS = "reactor.netty.ioWorkerCount";

	public static void main(String[] args) {
		if (System.getProperty(EVENT_LOOPS) == null) {
			System.setProperty(EVENT_LOOPS, Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(GatewayApplication.class, args);
	}

}
