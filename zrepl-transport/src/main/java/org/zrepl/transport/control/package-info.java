/**
 * The daemon's control socket: a unix-domain stream socket in a private directory. Each connection
 * carries one request and one response, each a single line of JSON:
 *
 * <pre>
 *   client -> daemon:  {"command":"signal","args":["wakeup","prod"]}\n
 *   daemon -> client:  {"ok":true,"error":null,"body":{...}}\n
 * </pre>
 *
 * Lines are bounded ({@link org.zrepl.transport.control.ControlServer#MAX_LINE}); what a request
 * means is the handler's business (the daemon's control service in zrepl-app), not this package's.
 */
package org.zrepl.transport.control;
