package org.genderalign.trainer.dpo;

import org.genderalign.trainer.data.EncodedPair;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.genderalign.core.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceLogpCacheTest {

  @TempDir Path tmp;

  @Test
  void storesAndReloadsExactlyAndMissesOnAnyKeyChange() throws Exception {
    List<EncodedPair> pairs = List.of(DpoCollatorTest.A, DpoCollatorTest.B);
    String dataHash = ReferenceLogpCache.hashPairs(pairs);
    ReferenceLogpCache.Key key = new ReferenceLogpCache.Key("m1", dataHash, "tok512 maxLength=256");
    ReferenceLogpCache cache = new ReferenceLogpCache(tmp);
    assertThat(cache.load(key)).isEmpty();
    ReferenceLogps values = new ReferenceLogps(List.of("a", "b"), new float[] {-1.25f, Float.MIN_VALUE},
        new float[] {-3.0000002f, -7f});
    cache.store(key, values, Provenance.of("test", null, 1L));
    ReferenceLogps back = cache.load(key).orElseThrow();
    assertThat(back.ids()).containsExactly("a", "b");
    assertThat(back.chosen()).containsExactly(values.chosen());
    assertThat(back.rejected()).containsExactly(values.rejected());
    assertThat(back.index()).containsEntry("b", 1);

    assertThat(cache.load(new ReferenceLogpCache.Key("m2", dataHash, "tok512 maxLength=256"))).isEmpty();
    assertThat(cache.load(new ReferenceLogpCache.Key("m1", dataHash, "tok512 maxLength=128"))).isEmpty();
    List<EncodedPair> changed = List.of(DpoCollatorTest.A,
        new EncodedPair("b", new int[] {7, 8}, new int[] {9, 10}, new int[] {11, 12}, false));
    assertThat(ReferenceLogpCache.hashPairs(changed)).isNotEqualTo(dataHash);
  }
}
