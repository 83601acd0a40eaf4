package io.servinglayer.gateway.feedback;

import java.util.List;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.servinglayer.contracts.ServedPrediction;
import io.servinglayer.gateway.system.RedisLink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads served predictions ({@link ServedPrediction}) and marks them joined. Reading and
 * marking are apart, so that a request whose feedback does not fit is refused before
 * anything is marked; marking checks that the prediction read is still the one there and
 * not yet joined, in one script, so a label is counted once however many gateways receive
 * it. What follows a reply (comparing, counting, writing the answer) runs on Reactor's
 * bounded parallel scheduler, never on the thread of the one Redis connection every
 * gateway feature shares.
 */
class FeedbackJoin {

	static final String UNAVAILABLE = "unavailable";

	/**
	 * Answers {@code joined}, {@code duplicate}, or {@code unknown} (gone or replaced).
	 */
	static final String MARK = """
			local v = redis.call('HMGET', KEYS[1], 'model', 'at', 'joined')
			if not v[1] or v[1] ~= ARGV[1] or v[2] ~= ARGV[2] then return 'unknown' end
			if v[3] then return 'duplicate' end
			redis.call('HSET', KEYS[1], 'joined', ARGV[3])
			return 'joined'""";

	private static final String[] FIELDS = { ServedPrediction.MODEL, ServedPrediction.VERSION, ServedPrediction.ROWS,
			ServedPrediction.PREDICTED, ServedPrediction.AT, ServedPrediction.JOINED };

	private final RedisLink redis;

	private final String keyPrefix;

	FeedbackJoin(RedisLink redis, String keyPrefix) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	/** Each request's served prediction, in order; {@link Stored#ABSENT} for none. */
	Mono<List<Stored>> read(List<FeedbackItem> items) {
		return Mono.defer(() -> {
			RedisClusterReactiveCommands<String, String> commands = this.redis.connection().reactive();
			return Flux.fromIterable(items)
				.flatMapSequential((item) -> commands.hmget(key(item.requestId()), FIELDS)
					.collectList()
					.map((fields) -> Stored.of(fields.stream().map((field) -> field.getValueOrElse(null)).toList())))
				.collectList()
				.publishOn(Schedulers.parallel());
		});
	}

	/**
	 * Marks each read prediction joined; answers what each mark found, or
	 * {@value #UNAVAILABLE} where Redis did not answer (nothing is known of that item).
	 */
	Mono<List<String>> mark(List<FeedbackItem> items, List<Stored> read, long nowMillis) {
		return Mono.defer(() -> {
			RedisClusterReactiveCommands<String, String> commands = this.redis.connection().reactive();
			return Flux.range(0, items.size())
				.flatMapSequential((i) -> read.get(i).present() ? mark(commands, items.get(i), read.get(i), nowMillis)
						: Mono.just("unknown"))
				.collectList()
				.publishOn(Schedulers.parallel());
		});
	}

	private Mono<String> mark(RedisClusterReactiveCommands<String, String> commands, FeedbackItem item, Stored read,
			long nowMillis) {
		return commands
			.<String>eval(MARK, ScriptOutputType.VALUE, new String[] { key(item.requestId()) }, read.model(), read.at(),
					Long.toString(nowMillis))
			.single()
			// One item's failure leaves the others' marks standing: each is answered on
			// its own.
			.onErrorReturn(UNAVAILABLE);
	}

	private String key(String requestId) {
		return ServedPrediction.key(this.keyPrefix, requestId);
	}

	/**
	 * A served prediction as read; {@code predicted} is its JSON array as stored.
	 */
	record Stored(String model, String version, int rows, String predicted, String at, boolean joined) {

		static final Stored ABSENT = new Stored(null, null, 0, null, null, false);

		boolean present() {
			return this.model != null;
		}

		static Stored of(List<String> values) {
			if (values.size() < 6 || values.get(0) == null || values.get(1) == null || values.get(3) == null
					|| values.get(4) == null) {
				return ABSENT;
			}
			int rows;
			try {
				rows = Integer.parseInt(values.get(2));
			}
			catch (NumberFormatException ex) {
				// Written outside the documented layout: nothing to join.
				return ABSENT;
			}
			return new Stored(values.get(0), values.get(1), rows, values.get(3), values.get(4), values.get(5) != null);
		}

	}

}
