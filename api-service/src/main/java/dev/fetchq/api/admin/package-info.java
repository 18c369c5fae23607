/**
 * Access control for operator endpoints: a handler marked {@link dev.fetchq.api.admin.AdminOnly}
 * answers only requests that carry the configured admin token ({@code Authorization: Bearer
 * <token>}). API for other features: {@link dev.fetchq.api.admin.AdminOnly}.
 */
package dev.fetchq.api.admin;
