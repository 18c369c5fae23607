/**
 * Who may call the API: every request authenticates with an API key ({@code Authorization: Bearer
 * <key>} or {@code X-API-Key}), configured by digest or created through {@code /admin/api-keys} and
 * stored as a SHA-256. A key's name is its tenant; its role is {@code client} or {@code admin}.
 *
 * <p>API for other features: {@link dev.fetchq.api.security.Caller} (a handler parameter: who
 * calls, and whether it may touch something another owns), {@link dev.fetchq.api.security.Role} and
 * {@link dev.fetchq.api.security.AdminOnly} (marks operator endpoints).
 */
package dev.fetchq.api.security;
