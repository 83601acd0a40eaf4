package io.servinglayer.inferenceservice.web;

import io.servinglayer.inferenceservice.predict.PredictResponse;
import io.servinglayer.inferenceservice.predict.PredictionService;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code :predict} with named features: entity keys are looked up in the online store,
 * the rest are request features. Like {@code infer}, the answer names its version.
 */
@RestController
class PredictController {

	private final PredictionService predictions;

	PredictController(PredictionService predictions) {
		this.predictions = predictions;
	}

	@PostMapping("/v1/models/{model}:predict")
	ResponseEntity<PredictResponse> predict(@PathVariable String model, @RequestBody JsonNode body) {
		return answer(this.predictions.predict(model, null, body));
	}

	@PostMapping("/v1/models/{model}/versions/{version}:predict")
	ResponseEntity<PredictResponse> predict(@PathVariable String model, @PathVariable int version,
			@RequestBody JsonNode body) {
		return answer(this.predictions.predict(model, version, body));
	}

	private static ResponseEntity<PredictResponse> answer(PredictResponse response) {
		return ResponseEntity.ok()
			.header(OpenInferenceController.VERSION_HEADER, response.modelVersion())
			.body(response);
	}

}
