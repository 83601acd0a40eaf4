package io.servinglayer.samplemodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import ai.onnx.proto.OnnxMl;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A binary classifier ({@code legit} / {@code fraud}) trained with Tribuo's logistic
 * regression on deterministic synthetic data and exported to ONNX. The exported graph has
 * one input named {@code input}, FP32 {@code [batch, features]} with the columns in
 * {@link #columns()} order, and one output named {@code output}, FP32 {@code [batch, 2]}.
 *
 * <p>
 * Tribuo orders a model's feature columns lexicographically by feature name, whatever
 * order they were given in; {@link #columns()} returns that order so a feature binding
 * can be written against it.
 */
public final class SyntheticClassifier {

	/**
	 * The demo fraud model's features, in the order Tribuo gives its ONNX input columns.
	 */
	public static final List<String> FRAUD_FEATURES = List.of("account_age_days", "amount", "txn_count_24h");

	private static final int EXAMPLES = 400;

	private final List<String> columns;

	private final long seed;

	private SyntheticClassifier(List<String> features, long seed) {
		if (features.isEmpty()) {
			throw new IllegalArgumentException("a classifier needs at least one feature");
		}
		this.columns = List.copyOf(new TreeSet<>(features));
		if (this.columns.size() != features.size()) {
			throw new IllegalArgumentException("feature names must be distinct, got " + features);
		}
		this.seed = seed;
	}

	/** The demo fraud classifier over {@link #FRAUD_FEATURES}. */
	public static SyntheticClassifier fraud() {
		return new SyntheticClassifier(FRAUD_FEATURES, 42);
	}

	/**
	 * A classifier over the given feature names; the same names and seed give the same
	 * model.
	 */
	public static SyntheticClassifier withFeatures(List<String> features, long seed) {
		return new SyntheticClassifier(features, seed);
	}

	/** The ONNX input's columns, in order. */
	public List<String> columns() {
		return this.columns;
	}

	/**
	 * Trains the model and writes it as an ONNX file to {@code target}, replacing any
	 * file there.
	 */
	public Path writeOnnx(Path target) {
		try {
			ONNXExportable exportable = (ONNXExportable) train();
			OnnxMl.ModelProto proto = exportable.exportONNXModel("io.servinglayer.samplemodels", 1);
			Path parent = target.toAbsolutePath().getParent();
			if (parent != null) {
				java.nio.file.Files.createDirectories(parent);
			}
			java.nio.file.Files.write(target, proto.toByteArray());
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not write the ONNX model to " + target, ex);
		}
	}

	/**
	 * The training baseline of each feature, by feature name in {@link #columns()} order:
	 * {@code bins} bins of about equal training share, their edges at the quantiles of
	 * the training values, each bin's share counted over the same values the model is
	 * trained on. {@code n} edges make {@code n + 1} bins,
	 * {@code [edges[i-1], edges[i])}, the outer ones open, as the registry's baselines
	 * are defined.
	 */
	public Map<String, Histogram> trainingBaseline(int bins) {
		if (bins < 2 || bins > EXAMPLES) {
			throw new IllegalArgumentException("bins must be between 2 and " + EXAMPLES + ", got " + bins);
		}
		double[][] rows = trainingData().values();
		Map<String, Histogram> baseline = new LinkedHashMap<>();
		for (int f = 0; f < this.columns.size(); f++) {
			double[] column = new double[rows.length];
			for (int i = 0; i < rows.length; i++) {
				column[i] = rows[i][f];
			}
			Arrays.sort(column);
			double[] edges = new double[bins - 1];
			for (int b = 1; b < bins; b++) {
				edges[b - 1] = column[b * column.length / bins];
			}
			long[] counts = new long[bins];
			for (double value : column) {
				int found = Arrays.binarySearch(edges, value);
				counts[(found >= 0) ? found + 1 : -found - 1]++;
			}
			double[] proportions = new double[bins];
			for (int b = 0; b < bins; b++) {
				proportions[b] = (double) counts[b] / column.length;
			}
			baseline.put(this.columns.get(f), new Histogram(edges, proportions));
		}
		return baseline;
	}

	/**
	 * A baseline as the {@code baseline} member of a version upload's metadata:
	 * {@code {"features": {"<key>": {"edges": [...], "proportions": [...]}}}}.
	 */
	public static String baselineJson(Map<String, Histogram> features) {
		StringBuilder json = new StringBuilder("{\"features\": {");
		String separator = "";
		for (Map.Entry<String, Histogram> feature : features.entrySet()) {
			json.append(separator)
				.append('"')
				.append(feature.getKey())
				.append("\": {\"edges\": ")
				.append(Arrays.toString(feature.getValue().edges()))
				.append(", \"proportions\": ")
				.append(Arrays.toString(feature.getValue().proportions()))
				.append('}');
			separator = ", ";
		}
		return json.append("}}").toString();
	}

	/**
	 * One feature's training histogram: {@code edges.length + 1} bins and the share of
	 * training values in each.
	 */
	public record Histogram(double[] edges, double[] proportions) {
	}

	private Model<Label> train() {
		LabelFactory labels = new LabelFactory();
		MutableDataset<Label> dataset = new MutableDataset<>(
				new SimpleDataSourceProvenance("synthetic-" + this.columns.size() + "-features", labels), labels);
		String[] names = this.columns.toArray(String[]::new);
		TrainingData data = trainingData();
		for (int i = 0; i < EXAMPLES; i++) {
			dataset.add(new ArrayExample<>(new Label(data.labels()[i]), names, data.values()[i]));
		}
		return new LogisticRegressionTrainer().train(dataset);
	}

	/**
	 * The examples, drawn from the seed in one fixed order, so the same seed gives the
	 * same data.
	 */
	private TrainingData trainingData() {
		Random random = new Random(this.seed);
		int width = this.columns.size();
		double[] weights = random.doubles(width, -1, 1).toArray();
		double[][] values = new double[EXAMPLES][];
		String[] labels = new String[EXAMPLES];
		for (int i = 0; i < EXAMPLES; i++) {
			values[i] = new double[width];
			double score = 0;
			for (int f = 0; f < width; f++) {
				values[i][f] = random.nextGaussian();
				score += weights[f] * values[i][f];
			}
			labels[i] = (score + 0.1 * random.nextGaussian() > 0) ? "fraud" : "legit";
		}
		return new TrainingData(values, labels);
	}

	private record TrainingData(double[][] values, String[] labels) {
	}

}
