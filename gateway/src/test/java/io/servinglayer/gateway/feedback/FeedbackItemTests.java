package io.servinglayer.gateway.feedback;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedbackItemTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void oneLabelOrOnePerRowOrABatchOfThem() {
		assertThat(FeedbackItem.parse(json.readTree("{\"requestId\": \"r-1\", \"label\": 1}"), 10)).singleElement()
			.satisfies((item) -> {
				assertThat(item.requestId()).isEqualTo("r-1");
				assertThat(item.labels()).hasToString("[1]");
			});
		assertThat(FeedbackItem.parse(json.readTree("{\"requestId\": \"r-2\", \"labels\": [0, true, \"cat\"]}"), 10)
			.get(0)
			.labels()).hasToString("[0, true, \"cat\"]");
		List<FeedbackItem> batch = FeedbackItem.parse(json.readTree(
				"{\"feedback\": [{\"requestId\": \"a\", \"label\": 1}, {\"requestId\": \"b\", \"label\": 0.5}]}"), 10);
		assertThat(batch).extracting(FeedbackItem::requestId).containsExactly("a", "b");
		assertThat(batch).extracting(FeedbackItem::field).containsExactly("feedback[0]", "feedback[1]");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			not an object                 | []                                                    | body
			no request id                 | {"label": 1}                                          | body.requestId
			a request id with a space     | {"requestId": "r 1", "label": 1}                      | body.requestId
			a request id of 129 chars     | {"requestId": "%s", "label": 1}                       | body.requestId
			no label                      | {"requestId": "r-1"}                                  | body must carry
			label and labels              | {"requestId": "r-1", "label": 1, "labels": [1]}       | body must carry
			an object label               | {"requestId": "r-1", "label": {"a": 1}}               | body.label
			a null label                  | {"requestId": "r-1", "label": null}                   | body.label
			an empty string label         | {"requestId": "r-1", "label": ""}                     | body.label
			empty labels                  | {"requestId": "r-1", "labels": []}                    | body.labels
			a bad label among labels      | {"requestId": "r-1", "labels": [1, [2]]}              | body.labels[1]
			an unknown member             | {"requestId": "r-1", "label": 1, "score": 2}          | body.score
			an empty batch                | {"feedback": []}                                      | feedback
			a batch over the maximum      | {"feedback": [{},{},{},{}]}                            | feedback
			a member beside the batch     | {"feedback": [{"requestId": "a", "label": 1}], "x": 1} | x
			a bad item in a batch         | {"feedback": [{"requestId": "a", "label": 1}, 3]}     | feedback[1]
			""")
	void whatIsNotFeedbackIsRefusedNamingTheMember(String name, String body, String field) {
		String text = body.replace("%s", "r".repeat(129));
		assertThatThrownBy(() -> FeedbackItem.parse(json.readTree(text), 3))
			.isInstanceOf(InvalidFeedbackException.class)
			.hasMessageStartingWith(field);
	}

}
