package io.servinglayer.inferenceservice.serving;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.servinglayer.inferenceservice.batching.BatchTimes;
import io.servinglayer.inferenceservice.batching.QueueFullException;
import io.servinglayer.inferenceservice.batching.VersionUnloadedException;
import io.servinglayer.inferenceservice.protocol.CallersMistake;
import io.servinglayer.inferenceservice.protocol.InferenceRequest;
import io.servinglayer.inferenceservice.protocol.InferenceResponse;
import io.servinglayer.inferenceservice.protocol.InvalidInferenceRequestException;
import io.servinglayer.inferenceservice.protocol.TensorCodec;
import io.servinglayer.inferenceservice.runtime.InferenceFailedException;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import io.servinglayer.inferenceservice.tracing.RequestSpans;

import org.springframework.stereotype.Service;

/**
 * Serves one {@code infer} call: finds the version (the deployment's stable one, or the
 * pinned one), checks the request against its signature, queues it on the version's
 * batcher and waits for the answer within the deployment's timeout. Knows nothing of
 * HTTP.
 */
@Service
public class InferenceService {

	private final ServingTable table;

	private final MeterRegistry meters;

	private final RequestSpans spans;

	InferenceService(ServingTable table, MeterRegistry meters, RequestSpans spans) {
		this.table = table;
		this.meters = meters;
		this.spans = spans;
	}

	/**
	 * @param version the pinned version, or {@code null} for the deployment's stable
	 * version
	 */
	public InferenceResponse infer(String deployment, Integer version, InferenceRequest request) {
		return infer(deployment, version, request, Map.of());
	}

	/**
	 * @param version the pinned version, or {@code null} for the deployment's stable
	 * version
	 * @param binary the raw data of inputs sent with the binary extension, by input index
	 */
	public InferenceResponse infer(String deployment, Integer version, InferenceRequest request,
			Map<Integer, ByteBuffer> binary) {
		return serve(deployment, version, (target) -> {
			Map<String, Tensor> inputs = TensorCodec.decode(request.inputs(), target.model().inputs(), binary);
			List<String> wanted = requestedOutputs(request, target.model().outputs());
			Map<String, Tensor> outputs = submit(target, inputs, wanted);
			List<InferenceResponse.Output> encoded = new ArrayList<>();
			outputs.forEach((name, tensor) -> encoded.add(TensorCodec.encode(name, tensor)));
			return new InferenceResponse(deployment, Integer.toString(target.version()), request.id(), encoded);
		});
	}

	/**
	 * Runs one model call of either protocol ({@code infer}, {@code :predict}) on the
	 * version it names, timed and counted once in {@code inference_requests_seconds}: a
	 * version unloaded between lookup and submit (a hot swap) is looked up again and the
	 * call made once more on what the table holds now; a {@link CallersMistake} counts as
	 * {@code CLIENT_ERROR}, anything else thrown as {@code SERVER_ERROR}.
	 * @param version the pinned version, or {@code null} for the deployment's stable
	 * version
	 */
	public <T> T serve(String deployment, Integer version, Function<ServedVersion, T> call) {
		Timer.Sample sample = Timer.start(this.meters);
		ServedVersion target = find(deployment, version);
		String outcome = "SERVER_ERROR";
		try {
			T answer;
			try {
				answer = call.apply(target);
			}
			catch (VersionUnloadedException ex) {
				target = find(deployment, version);
				answer = call.apply(target);
			}
			outcome = "SUCCESS";
			return answer;
		}
		catch (RuntimeException ex) {
			if (ex instanceof CallersMistake) {
				outcome = "CLIENT_ERROR";
			}
			throw ex;
		}
		finally {
			target.metrics().requested(sample, outcome);
		}
	}

	/**
	 * Runs tensors already built from the version's signature; all outputs.
	 * @throws VersionUnloadedException when the version was unloaded meanwhile
	 */
	public Map<String, Tensor> run(ServedVersion target, Map<String, Tensor> inputs) {
		return submit(target, inputs, List.of());
	}

	/** The version a call would use, for metadata and readiness. */
	public ServedVersion find(String deployment, Integer version) {
		if (!this.table.knows(deployment)
				&& this.table.statuses().stream().noneMatch((s) -> s.deployment().equals(deployment))) {
			throw new ModelNotServedException("model '" + deployment + "' is not served here");
		}
		if (version == null) {
			return this.table.current(deployment)
				.orElseThrow(() -> new ModelNotReadyException("model '" + deployment + "' is not ready yet"));
		}
		return this.table.version(deployment, version).orElseThrow(() -> {
			boolean assigned = this.table.statuses()
				.stream()
				.anyMatch((s) -> s.deployment().equals(deployment) && s.version() == version);
			return assigned
					? new ModelNotReadyException("version " + version + " of '" + deployment + "' is not ready yet")
					: new ModelNotServedException("model '" + deployment + "' has no version " + version + " here");
		});
	}

	private Map<String, Tensor> submit(ServedVersion target, Map<String, Tensor> inputs, List<String> outputs) {
		BatchTimes times = this.spans.recording() ? new BatchTimes() : null;
		try {
			Map<String, Tensor> result = target.batcher()
				.submit(inputs, outputs, times)
				.get(target.timeoutMs(), TimeUnit.MILLISECONDS);
			this.spans.batch(target.deployment(), target.version(), times, false);
			return result;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InferenceFailedException("interrupted while waiting for the model", ex);
		}
		catch (TimeoutException ex) {
			throw new InferenceTimeoutException(target.deployment(), target.version(), target.timeoutMs());
		}
		catch (ExecutionException ex) {
			this.spans.batch(target.deployment(), target.version(), times, true);
			if (ex.getCause() instanceof VersionUnloadedException unloaded) {
				throw unloaded;
			}
			if (ex.getCause() instanceof QueueFullException shed) {
				// Shed after waiting in the queue: overload, answered 503, not a failure.
				throw shed;
			}
			throw new InferenceFailedException(String.valueOf(ex.getCause().getMessage()), ex.getCause());
		}
	}

	private static List<String> requestedOutputs(InferenceRequest request, List<TensorSpec> outputs) {
		if (request.outputs() == null || request.outputs().isEmpty()) {
			return List.of();
		}
		List<String> wanted = new ArrayList<>();
		for (int i = 0; i < request.outputs().size(); i++) {
			InferenceRequest.RequestedOutput output = request.outputs().get(i);
			String name = (output != null) ? output.name() : null;
			if (name == null || outputs.stream().noneMatch((spec) -> spec.name().equals(name))) {
				throw new InvalidInferenceRequestException("outputs[" + i + "].name", "the model has no output '" + name
						+ "'; its outputs are " + outputs.stream().map(TensorSpec::name).toList());
			}
			wanted.add(name);
		}
		return wanted;
	}

}
