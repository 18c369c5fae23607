package dev.fetchq.api.job;

import java.util.List;

/**
 * One page of {@code GET /jobs}, newest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
record JobPage(List<JobView> items, String nextCursor) {}
