package io.servinglayer.gateway.modelcalls;

import io.servinglayer.gateway.routing.Endpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests the lean path takes; everything else goes to the generic chain. */
class ModelCallPathTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(nullValues = "-",
			value = { "/v2/models/fraud/infer, INFER, fraud, -, -",
					"/v2/models/fraud/infer?trace=1, INFER, fraud, -, trace=1",
					"/v2/models/fraud/versions/2/infer, INFER_PINNED, fraud, 2, -",
					"/v2/models/fraud/versions/latest/infer, INFER_PINNED, fraud, latest, -",
					"/v1/models/fraud:predict, PREDICT_V1, fraud, -, -",
					"/v1/models/fraud-2.b_c~d:predict?x=y, PREDICT_V1, fraud-2.b_c~d, -, x=y" })
	void takesAModelCallWhosePathIsPlain(String uri, Endpoint endpoint, String model, String version, String query) {
		ModelCallPath path = ModelCallPath.parse(uri);
		assertThat(path).isNotNull();
		assertThat(path.endpoint()).isEqualTo(endpoint);
		assertThat(path.model()).isEqualTo(model);
		assertThat(path.version()).isEqualTo(version);
		assertThat(path.query()).isEqualTo(query);
		assertThat(path.path()).isEqualTo(uri.split("\\?")[0]);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = { "/v2/models/fraud", "/v2/models/fraud/ready", "/v2/models/fraud/infer/", "/v2/models//infer",
					"/v2/models/../infer", "/v2/models/./infer", "/v2/models/fr%61ud/infer", "/v2/models/fraud;x/infer",
					"/v2/models/a/b/infer", "/v2/models/fraud/versions//infer", "/v2/models/fraud/versions/1/2/infer",
					"/v2/models/fraud/versions/../infer", "/v1/models/:predict", "/v1/models/a/b:predict",
					"/v1/models/a:b:predict", "//v2/models/fraud/infer", "/v2/health/live", "/v2/models/fraud/INFER" })
	void leavesEverythingElseToTheGenericChain(String uri) {
		assertThat(ModelCallPath.parse(uri)).isNull();
	}

}
