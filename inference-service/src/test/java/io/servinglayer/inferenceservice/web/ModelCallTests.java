package io.servinglayer.inferenceservice.web;

import io.servinglayer.inferenceservice.protocol.InvalidInferenceRequestException;
import io.servinglayer.inferenceservice.web.ModelCallServlet.ModelCall;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ModelCallTests {

	@Test
	void readsTheFourModelCallPaths() {
		assertThat(ModelCall.parse("/v2/models/fraud/infer")).isEqualTo(new ModelCall("fraud", null, false));
		assertThat(ModelCall.parse("/v2/models/fraud/versions/12/infer")).isEqualTo(new ModelCall("fraud", 12, false));
		assertThat(ModelCall.parse("/v1/models/fraud:predict")).isEqualTo(new ModelCall("fraud", null, true));
		assertThat(ModelCall.parse("/v1/models/fraud/versions/3:predict")).isEqualTo(new ModelCall("fraud", 3, true));
	}

	@Test
	void leavesEveryOtherPathToMvc() {
		assertThat(ModelCall.parse("/v2/models/fraud")).isNull();
		assertThat(ModelCall.parse("/v2/models/fraud/ready")).isNull();
		assertThat(ModelCall.parse("/v2/models/infer")).isNull();
		assertThat(ModelCall.parse("/v2/models//infer")).isNull();
		assertThat(ModelCall.parse("/v2/models/fraud/versions/1/extra/infer")).isNull();
		assertThat(ModelCall.parse("/v2/models/fraud/other/1/infer")).isNull();
		assertThat(ModelCall.parse("/v2/models/fraud:predict")).isNull();
		assertThat(ModelCall.parse("/v1/models/fraud/infer")).isNull();
		assertThat(ModelCall.parse("/v2/models/fr%61ud/infer")).isNull();
		assertThat(ModelCall.parse("/v1/models/a:b:predict")).isNull();
	}

	@Test
	void refusesAVersionThatIsNotANumber() {
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> ModelCall.parse("/v2/models/fraud/versions/x/infer"))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("version"));
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> ModelCall.parse("/v1/models/fraud/versions/:predict"));
	}

}
