package io.servinglayer.samplemodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
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

	private Model<Label> train() {
		LabelFactory labels = new LabelFactory();
		MutableDataset<Label> dataset = new MutableDataset<>(
				new SimpleDataSourceProvenance("synthetic-" + this.columns.size() + "-features", labels), labels);
		Random random = new Random(this.seed);
		String[] names = this.columns.toArray(String[]::new);
		double[] weights = random.doubles(names.length, -1, 1).toArray();
		for (int i = 0; i < EXAMPLES; i++) {
			double[] values = new double[names.length];
			double score = 0;
			for (int f = 0; f < names.length; f++) {
				values[f] = random.nextGaussian();
				score += weights[f] * values[f];
			}
			Label label = new Label(score + 0.1 * random.nextGaussian() > 0 ? "fraud" : "legit");
			dataset.add(new ArrayExample<>(label, names, values));
		}
		return new LogisticRegressionTrainer().train(dataset);
	}

}
