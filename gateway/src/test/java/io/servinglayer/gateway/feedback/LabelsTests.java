package io.servinglayer.gateway.feedback;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class LabelsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "label {0} against predicted {1}")
	@CsvSource(delimiter = '|', textBlock = """
			1        | 1         | true  | true
			0        | 1         | true  | false
			1.0      | 1         | true  | true
			0.42     | 0.420001  | true  | true
			0.42     | 0.43      | true  | false
			true     | 1         | true  | true
			false    | 1         | true  | false
			"fraud"  | "fraud"   | true  | true
			"fraud"  | "ok"      | true  | false
			"1"      | 1         | false | false
			""")
	void aLabelMatchesWhenItEqualsThePrediction(String label, String predicted, boolean comparable, boolean matches) {
		assertThat(Labels.comparable(json.readTree(label), json.readTree(predicted))).isEqualTo(comparable);
		assertThat(Labels.matches(json.readTree(label), json.readTree(predicted))).isEqualTo(matches);
	}

}
