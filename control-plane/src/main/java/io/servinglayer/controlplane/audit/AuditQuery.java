package io.servinglayer.controlplane.audit;

import java.time.Instant;

/** Filters of an audit listing; a {@code null} field does not filter. */
record AuditQuery(String actor, String action, String targetType, String target, Instant since, Instant until) {
}
