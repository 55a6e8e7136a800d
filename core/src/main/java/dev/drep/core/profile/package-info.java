/**
 * Per-job profiles: services record the intervals they spend in each {@link dev.drep.contracts.Stage} on a
 * {@link dev.drep.core.profile.StageTimeline}; {@link dev.drep.core.profile.JobProfiles} turns a job's spans
 * into the wall-time breakdown shown by {@code GET /api/jobs/{id}} and {@code drep review --profile}.
 */
package dev.drep.core.profile;
