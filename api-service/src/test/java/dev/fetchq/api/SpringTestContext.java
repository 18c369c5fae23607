package dev.fetchq.api;

import org.springframework.test.context.TestContextManager;

/**
 * Gives a jqwik property class the Spring test context its annotations describe ({@code
 * WebMvcTest}, {@code SpringBootTest}, {@code MockitoBean}...), as JUnit Jupiter's SpringExtension
 * does for {@code @Test} classes: jqwik is an engine of its own and runs no Jupiter extension.
 * Contexts come from Spring's cache, so a property class with the same configuration as a Jupiter
 * test class shares its context.
 */
public final class SpringTestContext {

  private SpringTestContext() {}

  /** Loads (or reuses) the context of {@code test}'s class and injects its fields. */
  public static void inject(Object test) {
    try {
      new TestContextManager(test.getClass()).prepareTestInstance(test);
    } catch (Exception e) {
      throw new IllegalStateException("No Spring test context for " + test.getClass(), e);
    }
  }
}
