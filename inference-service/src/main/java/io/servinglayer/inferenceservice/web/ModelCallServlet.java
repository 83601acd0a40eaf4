package io.servinglayer.inferenceservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.servinglayer.inferenceservice.tracing.RequestSpans;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.inferenceservice.access.CallerTokens;
import io.servinglayer.inferenceservice.feedback.ServedPredictions;
import io.servinglayer.inferenceservice.predict.PredictResponse;
import io.servinglayer.inferenceservice.predict.PredictionService;
import io.servinglayer.inferenceservice.protocol.BinaryTensorData;
import io.servinglayer.inferenceservice.protocol.InferenceRequest;
import io.servinglayer.inferenceservice.protocol.InferenceResponse;
import io.servinglayer.inferenceservice.protocol.InvalidInferenceRequestException;
import io.servinglayer.inferenceservice.runtime.DataType;
import io.servinglayer.inferenceservice.serving.InferenceService;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.MappingMatch;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Serves the model calls ({@code infer} and {@code :predict}, stable or pinned version)
 * straight from the servlet container, and hands every other request under the model
 * paths (metadata, readiness) to Spring MVC.
 * <p>
 * Why not an MVC controller: for a small model, handler lookup, argument resolution and
 * message conversion cost about as much as the inference itself; this path reads the body
 * with the same JSON mapper, calls the same services, and answers with the same problem
 * documents (see BENCHMARKS.md, "Inference instance").
 */
class ModelCallServlet extends HttpServlet {

	private static final Logger logger = LoggerFactory.getLogger(ModelCallServlet.class);

	private static final String REQUEST_ID_HEADER = "X-Request-Id";

	private final InferenceService inference;

	private final PredictionService predictions;

	private final JsonMapper json;

	private final String mvcServletName;

	private final CallerTokens callers;

	private final RequestSpans spans;

	/** Where served predictions are kept for feedback; {@code null} when nowhere. */
	private final ServedPredictions served;

	/**
	 * Readers that leave the body open, so what follows the JSON value can be read to its
	 * end ({@link #drain}) and the connection kept for the next call.
	 */
	private final ObjectReader requests;

	private final ObjectReader trees;

	ModelCallServlet(InferenceService inference, PredictionService predictions, JsonMapper json, String mvcServletName,
			CallerTokens callers, RequestSpans spans, ServedPredictions served) {
		this.spans = spans;
		this.inference = inference;
		this.predictions = predictions;
		this.json = json;
		this.mvcServletName = mvcServletName;
		this.callers = callers;
		this.served = served;
		this.requests = json.readerFor(InferenceRequest.class).without(StreamReadFeature.AUTO_CLOSE_SOURCE);
		this.trees = json.reader().without(StreamReadFeature.AUTO_CLOSE_SOURCE);
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		if (!"POST".equals(request.getMethod())) {
			// Metadata and readiness: timed and traced by the generic HTTP observation.
			serve(request, response);
			return;
		}
		Span span = this.spans.startServer(spanName(request), request);
		// Nothing of an unsampled call is recorded: no scope (which also sets the logging
		// context), so no children.
		Scope scope = span.getSpanContext().isSampled() ? span.makeCurrent() : Scope.noop();
		try (scope) {
			serve(request, response);
		}
		finally {
			this.spans.endServer(span, response.getStatus());
		}
	}

	/** The call's method and path template, never its raw path. */
	private static String spanName(HttpServletRequest request) {
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		if (path.startsWith("/v1/")) {
			return path.contains("/versions/") ? "POST /v1/models/{model}/versions/{version}:predict"
					: "POST /v1/models/{model}:predict";
		}
		return path.contains("/versions/") ? "POST /v2/models/{model}/versions/{version}/infer"
				: "POST /v2/models/{model}/infer";
	}

	private void serve(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
		// Every path under the model paths, metadata included, before anything is said
		// about it.
		CallerTokens.Verdict verdict = this.callers.check(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (verdict != CallerTokens.Verdict.ALLOWED) {
			refuse(response, verdict);
			return;
		}
		// The container's decoded path, without path parameters, as MVC matched it.
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		ModelCall call;
		try {
			call = ModelCall.parse(path);
		}
		catch (InvalidInferenceRequestException ex) {
			problem(response, InferenceProblems.of(ex));
			return;
		}
		if (call == null) {
			RequestDispatcher mvc = getServletContext().getNamedDispatcher(this.mvcServletName);
			mvc.forward(new AsMappedToMvc(request), response);
			return;
		}
		if (!"POST".equals(request.getMethod())) {
			if ("OPTIONS".equals(request.getMethod())) {
				response.setHeader(HttpHeaders.ALLOW, "POST, OPTIONS");
				response.setStatus(200);
				return;
			}
			response.setHeader(HttpHeaders.ALLOW, "POST");
			problem(response, InferenceProblems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
					"model calls are POST requests, not " + request.getMethod()));
			return;
		}
		String jsonLength = request.getHeader(BinaryTensorData.HEADER);
		if (jsonLength == null && !acceptsJson(request.getContentType())) {
			problem(response, InferenceProblems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
					"the body must be application/json, not " + request.getContentType()));
			return;
		}
		InferenceRequest asked = null;
		Object answer;
		try (InputStream body = request.getInputStream()) {
			if (call.predict()) {
				JsonNode instances = this.trees.readTree(body);
				drain(body);
				answer = this.predictions.predict(call.model(), call.version(), instances);
			}
			else if (jsonLength != null) {
				byte[] whole = body.readAllBytes();
				int length = jsonLength(jsonLength, whole.length);
				asked = requireBody(this.json.readValue(whole, 0, length, InferenceRequest.class));
				answer = this.inference.infer(call.model(), call.version(), asked,
						BinaryTensorData.split(asked.inputs(), whole, length));
			}
			else {
				asked = requireBody(this.requests.readValue(body));
				drain(body);
				answer = this.inference.infer(call.model(), call.version(), asked);
			}
		}
		catch (JacksonException ex) {
			if (causedBy(ex, RequestSizeLimit.BodyReadTimeoutException.class)) {
				bodyTooSlow(response);
			}
			else if (causedBy(ex, RequestSizeLimit.BodyTooLargeException.class)) {
				problem(response, InferenceProblems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
						ex.getCause().getMessage()));
			}
			else if (causedBy(ex, IOException.class)) {
				clientGone(ex);
			}
			else {
				problem(response, InferenceProblems.of(HttpStatus.BAD_REQUEST, "malformed-request",
						"the body is not a valid request: " + ex.getOriginalMessage()));
			}
			return;
		}
		catch (RequestSizeLimit.BodyReadTimeoutException ex) {
			bodyTooSlow(response);
			return;
		}
		catch (RequestSizeLimit.BodyTooLargeException ex) {
			problem(response, InferenceProblems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", ex.getMessage()));
			return;
		}
		catch (IOException ex) {
			clientGone(ex);
			return;
		}
		catch (RuntimeException ex) {
			ResponseEntity<ProblemDetail> known = InferenceProblems.of(ex);
			if (known == null) {
				logger.error("A model call failed", ex);
				known = InferenceProblems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
						"the instance failed to answer; see its log");
			}
			problem(response, known);
			return;
		}
		String version = (answer instanceof InferenceResponse inferred) ? inferred.modelVersion()
				: ((PredictResponse) answer).modelVersion();
		// A shadow copy carries its primary's request id: its answer is not what the
		// client was served.
		if (this.served != null && request.getHeader(ServedPrediction.SHADOW_HEADER) == null) {
			this.served.remember(request.getHeader(REQUEST_ID_HEADER), call.model(), version, answer);
		}
		if (answer instanceof InferenceResponse inferred && wantsBinary(asked, inferred)) {
			answerBinary(asked, inferred, response);
			return;
		}
		byte[] json = this.json.writeValueAsBytes(answer);
		response.setStatus(200);
		response.setHeader(OpenInferenceController.VERSION_HEADER, version);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	/**
	 * Reads what follows the JSON value (usually nothing, or a newline) within the body's
	 * size and time bounds, so the connection can serve the next call; one read when
	 * nothing follows.
	 */
	private static void drain(InputStream body) throws IOException {
		if (body.read() < 0) {
			return;
		}
		byte[] rest = new byte[512];
		while (body.read(rest) >= 0) {
			// discarded
		}
	}

	/** A body of JSON {@code null} (or none at all) is no request. */
	private static InferenceRequest requireBody(InferenceRequest request) {
		if (request == null) {
			throw new InvalidInferenceRequestException("body",
					"must be a JSON object with \"inputs\", such as {\"inputs\": [{\"name\": \"input\", "
							+ "\"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
		}
		return request;
	}

	/** 401, 403 or 503 with the challenge RFC 6750 asks for; never repeats the token. */
	private void refuse(HttpServletResponse response, CallerTokens.Verdict verdict) throws IOException {
		String realm = "Bearer realm=\"servinglayer-inference\"";
		String scope = this.callers.scope();
		switch (verdict) {
			case MISSING -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, realm);
				problem(response,
						InferenceProblems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
								"model calls need a bearer token of the control plane with scope " + scope
										+ ": instances are called by the gateway"));
			}
			case INVALID -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, realm + ", error=\"invalid_token\"");
				problem(response, InferenceProblems.of(HttpStatus.UNAUTHORIZED, "invalid-token",
						"the bearer token is not valid: expired, not the control plane's, or not for this audience"));
			}
			case INSUFFICIENT_SCOPE -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
						realm + ", error=\"insufficient_scope\", scope=\"" + scope + "\"");
				problem(response, InferenceProblems.of(HttpStatus.FORBIDDEN, "insufficient-scope",
						"model calls need scope " + scope + "; the token does not carry it"));
			}
			default -> {
				response.setHeader(HttpHeaders.RETRY_AFTER, "1");
				problem(response, InferenceProblems.of(HttpStatus.SERVICE_UNAVAILABLE, "token-unverifiable",
						"the bearer token could not be checked: the control plane's signing keys could not be read"));
			}
		}
	}

	private static boolean wantsBinary(InferenceRequest asked, InferenceResponse inferred) {
		return inferred.outputs().stream().anyMatch((output) -> BinaryTensorData.wanted(asked, output.name()));
	}

	/** The length of the JSON part of a body sent with the binary extension. */
	private static int jsonLength(String header, int bodyLength) {
		try {
			int length = Integer.parseInt(header.trim());
			if (length > 0 && length <= bodyLength) {
				return length;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new InvalidInferenceRequestException(BinaryTensorData.HEADER, BinaryTensorData.HEADER
				+ " must be the length of the JSON part of the body (1 to " + bodyLength + " bytes), got " + header);
	}

	/**
	 * The answer with the outputs the caller asked for in binary moved after the JSON
	 * part, whose length {@value BinaryTensorData#HEADER} gives.
	 */
	private void answerBinary(InferenceRequest request, InferenceResponse inferred, HttpServletResponse response)
			throws IOException {
		List<InferenceResponse.Output> outputs = new ArrayList<>();
		List<byte[]> parts = new ArrayList<>();
		for (InferenceResponse.Output output : inferred.outputs()) {
			if (BinaryTensorData.wanted(request, output.name())) {
				byte[] raw = BinaryTensorData.bytes(DataType.parse(output.datatype()), output.data());
				parts.add(raw);
				outputs.add(new InferenceResponse.Output(output.name(), output.datatype(), output.shape(), null,
						Map.of(BinaryTensorData.SIZE, raw.length)));
			}
			else {
				outputs.add(output);
			}
		}
		byte[] header = this.json.writeValueAsBytes(
				new InferenceResponse(inferred.modelName(), inferred.modelVersion(), inferred.id(), outputs));
		long total = header.length + parts.stream().mapToLong((part) -> part.length).sum();
		response.setStatus(200);
		response.setHeader(OpenInferenceController.VERSION_HEADER, inferred.modelVersion());
		response.setHeader(BinaryTensorData.HEADER, Integer.toString(header.length));
		response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		response.setContentLengthLong(total);
		response.getOutputStream().write(header);
		for (byte[] part : parts) {
			response.getOutputStream().write(part);
		}
	}

	/**
	 * The request as MVC would see it had it been mapped to MVC's {@code /}: MVC matches
	 * within the servlet path of a prefix mapping, which would cut {@code /v2/models}
	 * off.
	 */
	private static final class AsMappedToMvc extends HttpServletRequestWrapper {

		AsMappedToMvc(HttpServletRequest request) {
			super(request);
		}

		@Override
		public HttpServletMapping getHttpServletMapping() {
			String path = getServletPathWithin();
			return new HttpServletMapping() {

				@Override
				public String getMatchValue() {
					return "";
				}

				@Override
				public String getPattern() {
					return "/";
				}

				@Override
				public String getServletName() {
					return "";
				}

				@Override
				public MappingMatch getMappingMatch() {
					return MappingMatch.DEFAULT;
				}

				@Override
				public String toString() {
					return path;
				}

			};
		}

		@Override
		public String getServletPath() {
			return getServletPathWithin();
		}

		@Override
		public String getPathInfo() {
			return null;
		}

		private String getServletPathWithin() {
			HttpServletRequest request = (HttpServletRequest) getRequest();
			return request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		}

	}

	private void problem(HttpServletResponse response, ResponseEntity<ProblemDetail> problem) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		byte[] body = this.json.writeValueAsBytes(problem.getBody());
		response.resetBuffer();
		response.setStatus(problem.getStatusCode().value());
		problem.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The body could not be read: the caller went away (or reset the connection) while
	 * sending it. Nobody is left to answer, and under a flood of such callers a warning
	 * each would be a flood of its own.
	 */
	private static void clientGone(Exception ex) {
		logger.debug("A model call's caller went away while sending its body", ex);
	}

	/**
	 * 408, and the connection closed: the rest of a trickled body is not worth waiting
	 * for.
	 */
	private void bodyTooSlow(HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.CONNECTION, "close");
		ResponseEntity<ProblemDetail> timeout = InferenceProblems.of(HttpStatus.REQUEST_TIMEOUT, "request-timeout",
				"the request body did not arrive within the instance's body-read timeout");
		timeout.getBody().setProperty("field", "body");
		problem(response, timeout);
	}

	/**
	 * No type (as curl without {@code -H}) is taken as JSON; a named other one is not.
	 */
	private static boolean acceptsJson(String contentType) {
		if (contentType == null) {
			return true;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * A model call's path: {@code /v2/models/{m}[/versions/{v}]/infer} or
	 * {@code /v1/models/{m}[/versions/{v}]:predict}; {@code null} for any other, which
	 * MVC answers.
	 */
	record ModelCall(String model, Integer version, boolean predict) {

		private static final Map<String, String> SUFFIXES = Map.of("/v2/models/", "/infer", "/v1/models/", ":predict");

		static ModelCall parse(String path) {
			String prefix = path.startsWith("/v2/models/") ? "/v2/models/"
					: path.startsWith("/v1/models/") ? "/v1/models/" : null;
			if (prefix == null || path.indexOf('%') >= 0) {
				return null;
			}
			String suffix = SUFFIXES.get(prefix);
			if (!path.endsWith(suffix) || path.length() <= prefix.length() + suffix.length()) {
				return null;
			}
			String target = path.substring(prefix.length(), path.length() - suffix.length());
			int slash = target.indexOf('/');
			if (slash < 0) {
				return valid(target) ? new ModelCall(target, null, suffix.equals(":predict")) : null;
			}
			String model = target.substring(0, slash);
			String rest = target.substring(slash);
			if (!valid(model) || !rest.startsWith("/versions/")) {
				return null;
			}
			String number = rest.substring("/versions/".length());
			if (number.indexOf('/') >= 0) {
				return null;
			}
			if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
				throw new InvalidInferenceRequestException("version", "must be a version number, got '" + number + "'");
			}
			return new ModelCall(model, Integer.valueOf(number), suffix.equals(":predict"));
		}

		private static boolean valid(String model) {
			return !model.isEmpty() && model.indexOf('/') < 0 && model.indexOf(':') < 0;
		}

	}

}
