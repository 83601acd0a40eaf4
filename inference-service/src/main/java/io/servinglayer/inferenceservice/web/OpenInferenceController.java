package io.servinglayer.inferenceservice.web;

import java.util.List;
import java.util.Map;

import io.servinglayer.inferenceservice.runtime.TensorSpec;
import io.servinglayer.inferenceservice.serving.InferenceService;
import io.servinglayer.inferenceservice.serving.ServedVersion;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol v2 on this instance: health, server and model metadata,
 * readiness. {@code infer} itself is served by {@link ModelCallServlet}. Every model
 * answer names its version in {@code X-Model-Version}.
 */
@RestController
class OpenInferenceController {

	static final String VERSION_HEADER = "X-Model-Version";

	private final InferenceService inference;

	private final ApplicationAvailability availability;

	private final HealthEndpoint health;

	OpenInferenceController(InferenceService inference, ApplicationAvailability availability, HealthEndpoint health) {
		this.inference = inference;
		this.availability = availability;
		this.health = health;
	}

	@GetMapping("/v2/health/live")
	ResponseEntity<Void> live() {
		return (this.availability.getLivenessState() == LivenessState.CORRECT) ? ResponseEntity.ok().build()
				: ResponseEntity.status(503).build();
	}

	@GetMapping("/v2/health/ready")
	ResponseEntity<Void> ready() {
		return Status.UP.equals(this.health.healthForPath("readiness").getStatus()) ? ResponseEntity.ok().build()
				: ResponseEntity.status(503).build();
	}

	@GetMapping("/v2")
	Map<String, Object> server() {
		return Map.of("name", "servinglayer-inference", "version", "0.1.0", "extensions",
				List.of("binary_tensor_data"));
	}

	@GetMapping("/v2/models/{model}")
	ResponseEntity<ModelMetadata> metadata(@PathVariable String model) {
		return withVersion(ModelMetadata.of(this.inference.find(model, null)));
	}

	@GetMapping("/v2/models/{model}/versions/{version}")
	ResponseEntity<ModelMetadata> metadata(@PathVariable String model, @PathVariable int version) {
		return withVersion(ModelMetadata.of(this.inference.find(model, version)));
	}

	@GetMapping("/v2/models/{model}/ready")
	ResponseEntity<Void> modelReady(@PathVariable String model) {
		return ResponseEntity.ok()
			.header(VERSION_HEADER, Integer.toString(this.inference.find(model, null).version()))
			.build();
	}

	@GetMapping("/v2/models/{model}/versions/{version}/ready")
	ResponseEntity<Void> modelReady(@PathVariable String model, @PathVariable int version) {
		this.inference.find(model, version);
		return ResponseEntity.ok().header(VERSION_HEADER, Integer.toString(version)).build();
	}

	private static ResponseEntity<ModelMetadata> withVersion(ModelMetadata metadata) {
		return ResponseEntity.ok().header(VERSION_HEADER, metadata.versions().get(0)).body(metadata);
	}

	/** Model metadata as the protocol shapes it; platform {@code onnx_onnxv1}. */
	record ModelMetadata(String name, List<String> versions, String platform, List<Metadata> inputs,
			List<Metadata> outputs) {

		static ModelMetadata of(ServedVersion version) {
			return new ModelMetadata(version.deployment(), List.of(Integer.toString(version.version())), "onnx_onnxv1",
					version.model().inputs().stream().map(Metadata::of).toList(),
					version.model().outputs().stream().map(Metadata::of).toList());
		}

	}

	record Metadata(String name, String datatype, long[] shape) {

		static Metadata of(TensorSpec spec) {
			return new Metadata(spec.name(), spec.datatype().name(), spec.shape());
		}

	}

}
