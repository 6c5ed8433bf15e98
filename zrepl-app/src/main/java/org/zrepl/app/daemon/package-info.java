/**
 * The daemon runtime: every configured job behind the common {@link
 * org.zrepl.app.daemon.JobRuntime} interface, each on its own thread ({@link
 * org.zrepl.app.daemon.JobThreads}); the {@link org.zrepl.app.daemon.Daemon} that starts, reloads
 * and stops them; the {@link org.zrepl.app.daemon.ControlService} that answers the control socket;
 * and {@link org.zrepl.app.daemon.Metrics}, the Prometheus text. Job types plug in through {@link
 * org.zrepl.app.daemon.JobBuilders}. No sockets here: the listeners are zrepl-transport's.
 */
package org.zrepl.app.daemon;
