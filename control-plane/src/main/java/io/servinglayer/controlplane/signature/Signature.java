package io.servinglayer.controlplane.signature;

import java.util.List;
import java.util.Optional;

/** What a model takes and gives, read from its ONNX graph. */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

	public Optional<TensorSpec> input(String name) {
		return this.inputs.stream().filter((input) -> input.name().equals(name)).findFirst();
	}

}
