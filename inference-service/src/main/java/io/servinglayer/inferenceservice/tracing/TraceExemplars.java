package io.servinglayer.inferenceservice.tracing;

import java.io.IOException;

import io.prometheus.metrics.tracer.common.SpanContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Trace ids as exemplars on the latency histograms: the gateway propagates the caller's
 * W3C {@code traceparent}, and while a request runs its trace is what the Prometheus
 * registry attaches to the buckets it records into (visible in the OpenMetrics format:
 * {@code Accept: application/openmetrics-text}), so a slow bucket links to a trace. The
 * instance starts no spans of its own.
 */
@Configuration(proxyBeanMethods = false)
class TraceExemplars {

	private static final ThreadLocal<TraceParent> current = new ThreadLocal<>();

	@Bean
	SpanContext requestTrace() {
		return new SpanContext() {

			@Override
			public String getCurrentTraceId() {
				TraceParent trace = current.get();
				return (trace != null) ? trace.traceId() : null;
			}

			@Override
			public String getCurrentSpanId() {
				TraceParent trace = current.get();
				return (trace != null) ? trace.spanId() : null;
			}

			@Override
			public boolean isCurrentSpanSampled() {
				TraceParent trace = current.get();
				return trace != null && trace.sampled();
			}

			@Override
			public void markCurrentSpanAsExemplar() {
				// The span belongs to the caller; there is nothing to mark here.
			}

		};
	}

	@Bean
	OncePerRequestFilter traceParentFilter() {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				TraceParent trace = TraceParent.parse(request.getHeader("traceparent"));
				if (trace == null) {
					chain.doFilter(request, response);
					return;
				}
				current.set(trace);
				try {
					chain.doFilter(request, response);
				}
				finally {
					current.remove();
				}
			}

		};
	}

}
