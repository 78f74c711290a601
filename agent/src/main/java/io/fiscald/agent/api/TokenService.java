package io.fiscald.agent.api;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.ApiToken;
import io.fiscald.store.ApiTokens;
import io.fiscald.store.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates, checks and revokes the local API's bearer tokens. A token is 256 random bits, shown once;
 * only its SHA-256 is stored (enough for a high-entropy secret), and a presented token is compared
 * with every stored hash in constant time. Tokens never reach a log.
 */
public final class TokenService {
  /** Every token starts with this, so a leaked one is easy to grep for. */
  public static final String PREFIX = "fsd_";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One digest per thread: MessageDigest.getInstance looks the provider up on every call. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  });

  private TokenService() {}

  /** A token just created: the only moment its value exists outside the caller's hands. */
  public record NewToken(String name, Role role, Secret token, String createdAt) {
    @Override
    public String toString() {
      return "NewToken[name=" + name + ", role=" + role + ", token=[REDACTED]]";
    }
  }

  /** Creates a token; TOKEN_NAME_TAKEN when {@code name} exists (even revoked: names are never reused). */
  public static NewToken create(Connection c, String name, Role role, Clock clock) {
    checkName(name);
    if (ApiTokens.find(c, name).isPresent()) {
      throw new FiscalException(ErrorCode.TOKEN_NAME_TAKEN, "a token named '" + name
          + "' exists already; pick another name (revoked names are not reused)", Map.of("name", name));
    }
    Secret token = newToken();
    String now = Timestamps.format(clock.instant());
    ApiTokens.insert(c, name, role.wireName(), hash(token.revealUtf8()), now);
    return new NewToken(name, role, token, now);
  }

  /** Creates or renews the token called {@code name} (the daemon's own, renewed at each start). */
  public static NewToken renew(Connection c, String name, Role role, Clock clock) {
    checkName(name);
    Secret token = newToken();
    String now = Timestamps.format(clock.instant());
    ApiTokens.replace(c, name, role.wireName(), hash(token.revealUtf8()), now);
    return new NewToken(name, role, token, now);
  }

  public static void revoke(Connection c, String name, Clock clock) {
    if (!ApiTokens.revoke(c, name, Timestamps.format(clock.instant()))) {
      throw new FiscalException(ErrorCode.TOKEN_NOT_FOUND, "no active token named '" + name + "'",
          Map.of("name", name));
    }
  }

  public static List<ApiToken> list(Connection c) {
    return ApiTokens.all(c);
  }

  /** The caller a presented token belongs to, if it is a valid, unrevoked token. */
  public static Optional<Caller> authenticate(Connection c, String presented) {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
      return Optional.empty();
    }
    byte[] hash = hash(presented);
    Caller found = null;
    for (ApiToken t : ApiTokens.active(c)) {
      // every stored hash is compared, each in constant time
      if (MessageDigest.isEqual(hash, t.tokenHash()) && found == null) {
        found = new Caller(t.name(), Role.parse(t.role()));
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] hash(String token) {
    return sha256().digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** This thread's SHA-256, reset (digest() resets it after each use; reset() again in case one was abandoned). */
  static MessageDigest sha256() {
    MessageDigest d = SHA256.get();
    d.reset();
    return d;
  }

  private static Secret newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Secret.ofUtf8(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "token name '" + name
          + "' is not allowed: use 1 to 64 of A-Z a-z 0-9 . _ -", Map.of("field", "name"));
    }
  }
}
