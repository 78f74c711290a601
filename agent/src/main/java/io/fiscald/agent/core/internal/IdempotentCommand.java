package io.fiscald.agent.core.internal;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.core.IdempotencyKey;
import io.fiscald.store.IdempotencyKeys;
import io.fiscald.store.IdempotencyRecord;
import java.time.Instant;
import java.util.Map;

/**
 * Applies a command and stores its answer under the caller's idempotency key in the same savepoint:
 * if the command is refused, no key is stored; if it commits, the key commits with it.
 */
final class IdempotentCommand<T> extends WriteCommand<T> {
  private final WriteCommand<T> inner;
  private final IdempotencyKey<T> key;

  private IdempotentCommand(WriteCommand<T> inner, IdempotencyKey<T> key) {
    this.inner = inner;
    this.key = key;
  }

  /** {@code inner} itself when there is no key. */
  static <T> WriteCommand<T> wrap(WriteCommand<T> inner, IdempotencyKey<T> key) {
    return key == null ? inner : new IdempotentCommand<>(inner, key);
  }

  @Override
  Answer<T> apply(WriteContext ctx) {
    Instant now = ctx.now();
    IdempotencyKeys.deleteIfOlderThan(ctx.connection, key.tokenName(), key.key(),
        WriteContext.format(now.minus(key.ttl())));
    if (IdempotencyKeys.find(ctx.connection, key.tokenName(), key.key()).isPresent()) {
      // another request with this key committed first (the API answers replays before they get here)
      throw new FiscalException(ErrorCode.IDEMPOTENCY_KEY_IN_USE, "Idempotency-Key " + key.key()
          + " was used by a request that was committed a moment ago; retry to get its answer",
          Map.of("idempotencyKey", key.key()));
    }
    Answer<T> answer = inner.apply(ctx);
    // the key is taken now, inside this command's savepoint, so a second use of it in the same batch is
    // refused above; the stored answer is filled in once the result (and its signature) exists
    IdempotencyKeys.insert(ctx.connection, new IdempotencyRecord(key.tokenName(), key.key(), key.requestHash(),
        key.status(), "", WriteContext.format(now)));
    return () -> {
      T result = answer.get();
      IdempotencyKeys.setResponse(ctx.connection, key.tokenName(), key.key(), key.answer().apply(result));
      return result;
    };
  }
}
