/**
 * The message contracts of drep: every record that crosses a service boundary, over AMQP or over an
 * internal REST call, lives here and nowhere else.
 *
 * <p>AMQP addresses (see {@link Addresses}): the scanner publishes {@link WorkUnit}s, the analyzers
 * publish {@link UnitResult}s, the review-publisher publishes {@link JobEvent}s back to the scanner.
 * Records are serialised as JSON with Jackson; unknown properties are ignored so that a newer
 * producer does not break an older consumer during a rolling upgrade.
 */
package dev.drep.contracts;
