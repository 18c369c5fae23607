package dev.fetchq.api.deadletter;

import java.util.List;

/**
 * The answer of {@code GET /dead-letters}: matching dead letters, oldest first.
 *
 * @param queueDepth messages ready in the dead-letter queue when the request looked
 * @param scanned how many of them it looked at
 * @param complete whether it looked at all of them; when {@code false} there may be more matches
 *     (raise {@code limit} or narrow the filter)
 */
record DeadLetterPage(List<DeadLetter> items, int queueDepth, int scanned, boolean complete) {}
