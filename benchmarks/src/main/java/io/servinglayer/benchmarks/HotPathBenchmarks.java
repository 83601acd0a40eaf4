package io.servinglayer.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.servinglayer.inferenceservice.batching.BatchSettings;
import io.servinglayer.inferenceservice.batching.DynamicBatcher;
import io.servinglayer.inferenceservice.protocol.InferenceRequest;
import io.servinglayer.inferenceservice.protocol.TensorCodec;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.runtime.Tensor;
import io.servinglayer.inferenceservice.runtime.TensorSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMH benchmarks of the instance's per-request hot paths, each beside a baseline in the
 * same run:
 * <ul>
 * <li>reading an {@code infer} body into a tensor ({@code decodeRequest}) against only
 * parsing the same bytes into a JSON tree ({@code parseTreeBaseline}), which is what the
 * service did per element before it streamed data into flat arrays;</li>
 * <li>a batch-1 call through the dynamic batcher with batching on
 * ({@code batcherHandOff}: two thread hand-offs) and off ({@code batcherInline}), against
 * calling the runner directly ({@code runnerBaseline}); the runner is an identity, so
 * only the batcher's own cost shows.</li>
 * </ul>
 * Run: {@code java -cp … io.servinglayer.benchmarks.HotPathBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Param({ "30", "512" })
	int width;

	private byte[] body;

	private List<TensorSpec> signature;

	private Map<String, Tensor> inputs;

	private DynamicBatcher batched;

	private DynamicBatcher inline;

	@Setup(Level.Trial)
	public void setUp() {
		Random random = new Random(this.width);
		StringBuilder text = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,").append(this.width)
			.append("],\"datatype\":\"FP32\",\"data\":[");
		float[] data = new float[this.width];
		for (int i = 0; i < this.width; i++) {
			data[i] = (float) random.nextGaussian();
			text.append((i > 0) ? "," : "").append(String.format(Locale.ROOT, "%.4f", data[i]));
		}
		this.body = text.append("]}]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
		this.signature = List.of(new TensorSpec("input", DataType.FP32, new long[] { -1, this.width }));
		this.inputs = Map.of("input", new Tensor(DataType.FP32, new long[] { 1, this.width }, data));
		this.batched = new DynamicBatcher("batched", HotPathBenchmarks::identity, new BatchSettings(32, 0, 256))
			.start();
		this.inline = new DynamicBatcher("inline", HotPathBenchmarks::identity, new BatchSettings(1, 0, 256)).start();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.batched.close();
		this.inline.close();
	}

	private static Map<String, Tensor> identity(Map<String, Tensor> inputs, List<String> outputs) {
		return inputs;
	}

	@Benchmark
	public JsonNode parseTreeBaseline() {
		return json.readTree(this.body);
	}

	@Benchmark
	public Map<String, Tensor> decodeRequest() {
		InferenceRequest request = json.readValue(this.body, InferenceRequest.class);
		return TensorCodec.decode(request.inputs(), this.signature);
	}

	@Benchmark
	public Map<String, Tensor> runnerBaseline() {
		return identity(this.inputs, List.of());
	}

	@Benchmark
	public Map<String, Tensor> batcherInline() throws Exception {
		return this.inline.submit(this.inputs, List.of()).get();
	}

	@Benchmark
	public Map<String, Tensor> batcherHandOff() throws Exception {
		return this.batched.submit(this.inputs, List.of()).get();
	}

	public static void main(String[] args) throws Exception {
		new Runner(new OptionsBuilder().include(HotPathBenchmarks.class.getSimpleName()).build()).run();
	}

}
