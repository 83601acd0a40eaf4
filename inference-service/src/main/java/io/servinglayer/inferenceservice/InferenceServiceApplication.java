package io.servinglayer.inferenceservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A stateless inference instance: follows the routing snapshot, loads and warms the
 * versions its pool serves, batches concurrent requests into ONNX Runtime, reads online
 * features from Redis, and serves the Open Inference Protocol and {@code :predict}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InferenceServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(InferenceServiceApplication.class, args);
	}

}
