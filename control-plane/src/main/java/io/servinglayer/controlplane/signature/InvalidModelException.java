package io.servinglayer.controlplane.signature;

import io.servinglayer.controlplane.system.ApiProblem;

import org.springframework.http.HttpStatus;

/** An uploaded artifact that ONNX Runtime cannot open, or whose graph we cannot serve. */
public class InvalidModelException extends ApiProblem {

	public InvalidModelException(String reason) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-onnx-model", "Invalid ONNX model", reason);
	}

}
