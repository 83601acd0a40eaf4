package io.servinglayer.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.servinglayer.inferenceservice.access.CallerTokens;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The per-call cost of the instance's token check with a token it has verified before
 * (the gateway reuses its token): the header cut, one Caffeine lookup over the token's
 * text and the expiry compare, against {@code require-token=false}. The header is a fresh
 * string per call, as Tomcat gives one per request, so the token's hash is computed each
 * time. The token is as long as a control-plane token (about 850 characters). Run:
 * {@code java -cp … io.servinglayer.benchmarks.CallerCheckMicroBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallerCheckMicroBenchmarks {

	private final String token = "eyJ" + "x".repeat(847);

	private final char[] header = ("Bearer " + this.token).toCharArray();

	private CallerTokens required;

	private CallerTokens open;

	@Setup(Level.Trial)
	public void setUp() {
		Instant expiry = Instant.now().plus(Duration.ofHours(1));
		this.required = CallerTokens.required((token) -> Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.expiresAt(expiry)
			.claim("scope", List.of("inference:call"))
			.build(), "inference:call", Clock.systemUTC(), 1024);
		this.open = CallerTokens.open();
		if (this.required.check(new String(this.header)) != CallerTokens.Verdict.ALLOWED) {
			throw new IllegalStateException("the token was not taken");
		}
	}

	@Benchmark
	public CallerTokens.Verdict tokensNotRequired() {
		return this.open.check(new String(this.header));
	}

	@Benchmark
	public CallerTokens.Verdict rememberedToken() {
		return this.required.check(new String(this.header));
	}

	public static void main(String[] args) throws Exception {
		new Runner(new OptionsBuilder().include(CallerCheckMicroBenchmarks.class.getSimpleName()).build()).run();
	}

}
