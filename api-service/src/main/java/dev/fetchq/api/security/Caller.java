package dev.fetchq.api.security;

/**
 * Who sent a request: the API key it authenticated with. Handlers get it as a parameter of this
 * type. The key's name is the tenant: jobs record it as their owner.
 *
 * @param name the key's name
 * @param role what the key may do
 */
public record Caller(String name, Role role) {

  /** The request attribute under which the authentication filter leaves the caller. */
  static final String ATTRIBUTE = Caller.class.getName();

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /**
   * Whether this caller may see and change something owned by {@code owner}: its own things, or
   * anything with an admin key. Nobody but an admin owns what has no owner.
   */
  public boolean mayAccess(String owner) {
    return isAdmin() || name.equals(owner);
  }
}
