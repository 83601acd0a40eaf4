package io.servinglayer.gateway.feedback;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.servinglayer.gateway.routing.Routing;
import io.servinglayer.gateway.system.GatewayProblem;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /v1/models/{model}:feedback}: joins observed labels to the predictions the
 * instances served, by request id, and counts whether each matched. Answered by the
 * gateway itself from Redis, where every instance keeps what it served: no instance needs
 * to be up, or to still serve the version, for its predictions to be labelled.
 * <p>
 * The whole request is checked before anything is counted: a malformed body is 400, and a
 * label for another model's request, for a different number of rows, or of another type
 * than the prediction is 422. A request id never served or kept no longer is answered
 * {@code unknown}, a second label for one already joined {@code duplicate}; neither
 * counts towards accuracy.
 */
class FeedbackHandler {

	private final Routing routing;

	private final FeedbackJoin join;

	private final FeedbackCounts counts;

	private final FeedbackSettings settings;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	FeedbackHandler(Routing routing, FeedbackJoin join, FeedbackCounts counts, FeedbackSettings settings, Clock clock) {
		this.routing = routing;
		this.join = join;
		this.counts = counts;
		this.settings = settings;
		this.clock = clock;
	}

	Mono<ServerResponse> feedback(ServerRequest request) {
		String model = request.pathVariable("model");
		if (this.routing.table().deployment(model) == null) {
			return Mono.error(new FeedbackModelNotFoundException(model));
		}
		return request.bodyToMono(byte[].class)
			.onErrorMap(DataBufferLimitException.class,
					(ex) -> new InvalidFeedbackException("body",
							"is larger than the gateway buffers for feedback (" + ex.getMessage()
									+ "); send fewer items per request"))
			.defaultIfEmpty(new byte[0])
			.map(this::items)
			.flatMap((items) -> this.join.read(items)
				.onErrorMap((ex) -> !(ex instanceof GatewayProblem), FeedbackUnavailableException::new)
				.flatMap((read) -> {
					check(model, items, read);
					return this.join.mark(items, read, this.clock.millis())
						.onErrorMap((ex) -> !(ex instanceof GatewayProblem), FeedbackUnavailableException::new)
						.map((marks) -> count(model, items, read, marks));
				}))
			.flatMap((answer) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.json.writeValueAsBytes(answer)));
	}

	private List<FeedbackItem> items(byte[] body) {
		if (body.length == 0) {
			throw new InvalidFeedbackException("body",
					"is empty; send {\"requestId\": \"r-42\", \"label\": 1} or {\"feedback\": [...]}");
		}
		JsonNode tree;
		try {
			tree = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidFeedbackException("body", "is not JSON: " + ex.getOriginalMessage());
		}
		return FeedbackItem.parse(tree, this.settings.maxBatch());
	}

	/** Refuses the whole request when one item does not fit its prediction. */
	private void check(String model, List<FeedbackItem> items, List<FeedbackJoin.Stored> read) {
		for (int i = 0; i < items.size(); i++) {
			FeedbackItem item = items.get(i);
			FeedbackJoin.Stored stored = read.get(i);
			if (!stored.present()) {
				continue;
			}
			if (!stored.model().equals(model)) {
				// Says nothing of which model served it.
				throw new FeedbackRefusedException("feedback-other-model",
						item.field() + ": request '" + item.requestId() + "' was not served by '" + model
								+ "'; send its feedback to the model " + "that served it");
			}
			if (stored.rows() != item.labels().size()) {
				throw new FeedbackRefusedException("feedback-rows-mismatch",
						item.field() + ": request '" + item.requestId() + "' was served " + stored.rows()
								+ " prediction(s); send "
								+ ((stored.rows() == 1) ? "\"label\" with one label"
										: "\"labels\" with " + stored.rows() + " labels, one per row")
								+ ", not " + item.labels().size());
			}
			JsonNode predicted = predicted(stored);
			for (int row = 0; row < item.labels().size(); row++) {
				if (!Labels.comparable(item.labels().get(row), predicted.get(row))) {
					throw new FeedbackRefusedException("feedback-label-type",
							item.field() + ": the label of row " + row + " is " + item.labels().get(row).getNodeType()
									+ " but the model predicted "
									+ predicted.get(row).getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
									+ " (a class index or value is a number)");
				}
			}
		}
	}

	private FeedbackAnswer count(String model, List<FeedbackItem> items, List<FeedbackJoin.Stored> read,
			List<String> marks) {
		List<FeedbackAnswer.Result> results = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			FeedbackItem item = items.get(i);
			FeedbackJoin.Stored stored = read.get(i);
			String mark = marks.get(i);
			if (mark.equals("joined")) {
				JsonNode predicted = predicted(stored);
				int correct = 0;
				for (int row = 0; row < item.labels().size(); row++) {
					correct += Labels.matches(item.labels().get(row), predicted.get(row)) ? 1 : 0;
				}
				int incorrect = item.labels().size() - correct;
				this.counts.joined(model, stored.version(), correct, incorrect);
				results.add(new FeedbackAnswer.Result(item.requestId(), mark, stored.version(), correct, incorrect));
			}
			else if (mark.equals("duplicate")) {
				this.counts.duplicate(model, stored.version());
				results.add(new FeedbackAnswer.Result(item.requestId(), mark, stored.version(), null, null));
			}
			else if (mark.equals(FeedbackJoin.UNAVAILABLE)) {
				results.add(new FeedbackAnswer.Result(item.requestId(), mark, null, null, null));
			}
			else {
				this.counts.unknown(model);
				results.add(new FeedbackAnswer.Result(item.requestId(), "unknown", null, null, null));
			}
		}
		if (marks.stream().allMatch(FeedbackJoin.UNAVAILABLE::equals)) {
			throw new FeedbackUnavailableException(new IllegalStateException("no item was answered"));
		}
		return new FeedbackAnswer(model, results);
	}

	private JsonNode predicted(FeedbackJoin.Stored stored) {
		try {
			JsonNode predicted = this.json.readTree(stored.predicted());
			if (predicted.isArray() && predicted.size() == stored.rows()) {
				return predicted;
			}
		}
		catch (JacksonException ex) {
			// answered below
		}
		throw new IllegalStateException("a served prediction in Redis does not follow the ServedPrediction layout");
	}

	/**
	 * What was joined.
	 *
	 * @param model the deployment the feedback was sent to
	 * @param results one per item, in the order sent
	 */
	record FeedbackAnswer(String model, List<Result> results) {

		/**
		 * @param outcome {@code joined}, {@code duplicate} (joined before, not counted
		 * again), {@code unknown} (never served, or kept no longer) or
		 * {@code unavailable} (Redis did not answer for this item: nothing counted for
		 * it, send it again)
		 * @param modelVersion the version that served the prediction, when known
		 * @param correct labels that matched their row's prediction, when joined
		 * @param incorrect labels that did not, when joined
		 */
		@JsonInclude(JsonInclude.Include.NON_NULL)
		record Result(String requestId, String outcome, String modelVersion, Integer correct, Integer incorrect) {
		}

	}

}
