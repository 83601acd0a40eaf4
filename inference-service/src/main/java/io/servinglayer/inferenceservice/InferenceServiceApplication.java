package io.servinglayer.inferenceservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A stateless inference instance. Model loading, batching and the Open Inference Protocol
 * arrive with the inference-service issue; for now it starts and reports health.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InferenceServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(InferenceServiceApplication.class, args);
	}

}
