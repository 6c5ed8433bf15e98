/**
 * zrepl's logging: our own small SLF4J 2 backend ({@link
 * org.zrepl.app.logging.ZreplServiceProvider}) that turns every call into a {@link
 * org.zrepl.app.logging.LogEntry} (time, level, job and subsystem from the MDC, message, key-value
 * fields) and hands it to the outlets configured in {@code global.logging}, each with its own level
 * and {@link org.zrepl.app.logging.LogFormat}. Code logs through SLF4J only; put {@code job} and
 * {@code subsystem} into the MDC ({@link org.zrepl.app.logging.LogContext}) and key-value pairs
 * through the fluent API.
 */
package org.zrepl.app.logging;
