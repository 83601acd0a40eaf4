package io.servinglayer.contracts;

import java.util.List;

/**
 * One entity's online features in one feature view version, as a hash in Redis:
 *
 * <pre>
 * {prefix}fs:{view}:{version}:{entity}
 *

@event_time   when the values were true, epoch milliseconds in decimal
 *   {feature}     each feature's value as text: decimal numbers (FP32 and smaller as
 *                 Float.toString, FP64 as Double.toString, integers as Long.toString),
 *                 true/false for BOOL, the string itself for BYTES
 * </pre>
 *
 * {@code entity} is the row's entity key values in the view's {@code entityKeys} order,
 * joined by {@value #ENTITY_SEPARATOR} (so a value of a multi-key view never contains
 * it).
 *
 * <p>
 * Written by the control plane ({@code OnlineStoreWriter}, a Lua script that writes the
 * hash unless the stored {@code @event_time} is newer, so replays never move an entity
 * back in time); read by the inference service ({@code OnlineStore}, HGETALL of every row
 * of a request in one pipelined round trip), which takes a hash without a parseable
 * {@code @event_time} for no row at all and parses each value by the feature's dtype in
 * the routing snapshot. Rows have no TTL: the view's {@code maxAgeSeconds} decides
 * staleness against {@code @event_time}, not Redis. Every command names one row, so the
 * key needs no hash tag: on a Redis Cluster the rows spread over the nodes, and a read's
 * pipeline goes to each node holding some of them.
 */
public final class OnlineFeatureRow {

	/** The field holding the row's event time. */
	public static final String EVENT_TIME = "@event_time";

	/** What joins the key values of a multi-key entity. */
	public static final String ENTITY_SEPARATOR = "|";

	private OnlineFeatureRow() {
	}

	/** The hash of one entity's row. */
	public static String key(String prefix, String view, int version, String entity) {
		return prefix + "fs:" + view + ":" + version + ":" + entity;
	}

	/** The entity id of a row: the key values in the view's order, joined. */
	public static String entity(List<String> keyValues) {
		return String.join(ENTITY_SEPARATOR, keyValues);
	}

}
