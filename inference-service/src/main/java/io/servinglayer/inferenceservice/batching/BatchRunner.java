package io.servinglayer.inferenceservice.batching;

import java.util.List;
import java.util.Map;

import io.servinglayer.inferenceservice.runtime.Tensor;

/**
 * Runs a model on inputs stacked along their first dimension; {@code LoadedModel::run} in
 * production.
 */
@FunctionalInterface
public interface BatchRunner {

	Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs);

}
