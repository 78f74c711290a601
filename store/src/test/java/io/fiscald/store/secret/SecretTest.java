package io.fiscald.store.secret;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void toStringConcatenationAndValueOfShowNoBytes() {
    Secret secret = Secret.ofUtf8("hunter2-api-token");

    assertThat(secret.toString()).isEqualTo("[REDACTED]");
    assertThat(String.valueOf(secret)).isEqualTo("[REDACTED]");
    assertThat("token=" + secret).isEqualTo("token=[REDACTED]").doesNotContain("hunter2");
    assertThat(String.format("%s", secret)).isEqualTo("[REDACTED]");
  }

  @Test
  void revealsWhatItWasGiven() {
    Secret secret = Secret.ofUtf8("pässwörd");

    assertThat(secret.revealUtf8()).isEqualTo("pässwörd");
    assertThat(secret.revealBytes()).isEqualTo("pässwörd".getBytes(UTF_8));
    assertThat(secret.length()).isEqualTo("pässwörd".getBytes(UTF_8).length);
  }

  @Test
  void isImmutableAgainstChangesToInputAndRevealedArrays() {
    byte[] input = {1, 2, 3};
    Secret secret = Secret.copyOf(input);

    input[0] = 9;
    secret.revealBytes()[1] = 9;

    assertThat(secret.revealBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void contentsAreComparedOnlyExplicitly() {
    Secret a = Secret.ofUtf8("same");
    Secret b = Secret.ofUtf8("same");

    assertThat(a.equalsConstantTime(b)).isTrue();
    assertThat(a.equalsConstantTime(Secret.ofUtf8("other"))).isFalse();
    assertThat(a.equalsConstantTime(Secret.ofUtf8("sam"))).isFalse();
    // identity semantics: equal contents do not make equal objects or collapse in a set
    assertThat(a).isNotEqualTo(b).isEqualTo(a);
    Set<Secret> set = new HashSet<>(Set.of(a));
    assertThat(set.contains(b)).isFalse();
  }
}
