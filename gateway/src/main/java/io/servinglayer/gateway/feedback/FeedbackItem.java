package io.servinglayer.gateway.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * One label (or one per row) for one served request, as sent: {@code {"requestId": "...",
 * "label": 1}} for a request that was served one prediction, {@code {"requestId": "...",
 * "labels": [1, 0]}} for one served several.
 *
 * @param field where in the body it was, for messages
 * @param labels the labels in row order, each a number, true/false or a string
 */
record FeedbackItem(String field, String requestId, List<JsonNode> labels) {

	/** As the gateway accepts a caller's {@code X-Request-Id}. */
	private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static final Set<String> MEMBERS = Set.of("requestId", "label", "labels");

	private static final int MAX_LABELS = 10_000;

	private static final int MAX_LABEL_LENGTH = 256;

	/**
	 * The items of a feedback body: one item, or {@code {"feedback": [items]}}.
	 * @throws InvalidFeedbackException naming the first member that is wrong
	 */
	static List<FeedbackItem> parse(JsonNode body, int maxBatch) {
		if (body == null || !body.isObject()) {
			throw new InvalidFeedbackException("body",
					"must be a JSON object, such as {\"requestId\": \"r-42\", \"label\": 1}");
		}
		if (!body.has("feedback")) {
			return List.of(item(body, "body"));
		}
		for (String name : body.propertyNames()) {
			if (!name.equals("feedback")) {
				throw new InvalidFeedbackException(name, "is not a member of a feedback batch; send only \"feedback\"");
			}
		}
		JsonNode feedback = body.get("feedback");
		if (!feedback.isArray() || feedback.isEmpty() || feedback.size() > maxBatch) {
			throw new InvalidFeedbackException("feedback",
					"must be an array of 1 to " + maxBatch + " items such as {\"requestId\": \"r-42\", \"label\": 1}");
		}
		List<FeedbackItem> items = new ArrayList<>(feedback.size());
		for (int i = 0; i < feedback.size(); i++) {
			items.add(item(feedback.get(i), "feedback[" + i + "]"));
		}
		return items;
	}

	private static FeedbackItem item(JsonNode item, String field) {
		if (!item.isObject()) {
			throw new InvalidFeedbackException(field,
					"must be an object such as {\"requestId\": \"r-42\", \"label\": 1}");
		}
		for (String name : item.propertyNames()) {
			if (!MEMBERS.contains(name)) {
				throw new InvalidFeedbackException(field + "." + name,
						"is not a member of feedback; send \"requestId\" and \"label\" or \"labels\"");
			}
		}
		JsonNode requestId = item.get("requestId");
		if (requestId == null || !requestId.isString() || !REQUEST_ID.matcher(requestId.stringValue()).matches()) {
			throw new InvalidFeedbackException(field + ".requestId",
					"must be the X-Request-Id the prediction was answered with (1 to 128 of A-Z a-z 0-9 . _ : -)");
		}
		JsonNode label = item.get("label");
		JsonNode labels = item.get("labels");
		if ((label == null) == (labels == null)) {
			throw new InvalidFeedbackException(field,
					"must carry either \"label\" (a request with one prediction) or \"labels\" (one per row)");
		}
		List<JsonNode> list = new ArrayList<>();
		if (label != null) {
			list.add(label(label, field + ".label"));
		}
		else {
			if (!labels.isArray() || labels.isEmpty() || labels.size() > MAX_LABELS) {
				throw new InvalidFeedbackException(field + ".labels",
						"must be an array of 1 to " + MAX_LABELS + " labels, one per row of the request");
			}
			for (int i = 0; i < labels.size(); i++) {
				list.add(label(labels.get(i), field + ".labels[" + i + "]"));
			}
		}
		return new FeedbackItem(field, requestId.stringValue(), List.copyOf(list));
	}

	private static JsonNode label(JsonNode label, String field) {
		boolean fits = label.isNumber() || label.isBoolean() || (label.isString() && !label.stringValue().isEmpty()
				&& label.stringValue().length() <= MAX_LABEL_LENGTH);
		if (!fits) {
			throw new InvalidFeedbackException(field, "must be the observed label: a class index or value (a number), "
					+ "true/false, or a string of 1 to " + MAX_LABEL_LENGTH + " characters");
		}
		return label;
	}

}
