package org.genderalign.trainer.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;

/**
 * The tokenizer of llama2.c ({@code tokenizer.bin} / {@code tok512.bin}): a SentencePiece BPE
 * vocabulary with one score per piece, encoded <b>exactly</b> as {@code run.c}'s {@code encode}:
 * a dummy-prefix space before non-empty text, one token per UTF-8 code point when the code point
 * is in the vocabulary and byte-fallback tokens ({@code byte + 3}) otherwise, then repeated
 * merging of the adjacent pair whose concatenation has the highest score (first pair wins ties).
 *
 * <p>Also serves GGUF "llama" vocabularies (SentencePiece pieces with {@code ▁} for space and
 * {@code <0xXX>} byte pieces) through {@link #fromSentencePiece}.
 */
public final class Llama2cTokenizer implements Tokenizer {

  /** Largest {@code tokenizer.bin} read (llama2.c's 32K vocabulary is 434 KB). */
  public static final long MAX_FILE_BYTES = 64L << 20;

  private final byte[][] pieces;
  private final float[] scores;
  private final Map<String, Integer> lookup;
  private final int[] byteIds;
  private final int bos;
  private final int eos;
  private final String description;

  /**
   * @param pieces each id's bytes (space as a real space, byte pieces as {@code <0xXX>})
   * @param scores merge priority per id
   * @param byteIds id of each byte value for byte fallback (256 entries)
   * @param bos BOS id or −1
   * @param eos EOS id or −1
   * @param description for provenance
   */
  public Llama2cTokenizer(byte[][] pieces, float[] scores, int[] byteIds, int bos, int eos,
      String description) {
    if (pieces.length != scores.length || byteIds.length != 256) {
      throw new IllegalArgumentException("need one score per piece and 256 byte ids");
    }
    this.pieces = pieces;
    this.scores = scores;
    this.byteIds = byteIds;
    this.bos = bos;
    this.eos = eos;
    this.description = description;
    this.lookup = new HashMap<>();
    for (int i = 0; i < pieces.length; i++) {
      // run.c binary-searches a sorted copy; with unique pieces that is the same as a map.
      lookup.putIfAbsent(key(pieces[i]), i);
    }
  }

  /**
   * Reads llama2.c's {@code tokenizer.bin}: int32 max token length, then per id a float32 score,
   * an int32 length and the piece's bytes (little-endian). Ids 0/1/2 are unk/BOS/EOS and 3..258
   * the raw bytes, as in run.c.
   */
  public static Llama2cTokenizer load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      // read whole: a model file passed as the tokenizer must not be pulled into memory
      throw InvalidInputException.ofFile(file, "not a llama2.c tokenizer: " + size
          + " bytes (vocabularies are under " + (MAX_FILE_BYTES >> 20) + " MB)");
    }
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (buf.remaining() < 4) {
      throw InvalidInputException.ofFile(file, "not a llama2.c tokenizer (too short)");
    }
    int maxLen = buf.getInt();
    if (maxLen < 0) {
      throw InvalidInputException.ofFile(file, "not a llama2.c tokenizer: max token length " + maxLen);
    }
    List<byte[]> ps = new ArrayList<>();
    List<Float> ss = new ArrayList<>();
    while (buf.hasRemaining()) {
      if (buf.remaining() < 8) {
        throw InvalidInputException.ofFile(file,
            "token " + ps.size() + ": expected score and length (file truncated)");
      }
      float score = buf.getFloat();
      int len = buf.getInt();
      if (len < 0 || len > Math.max(maxLen, 1) * 4L || len > buf.remaining()) {
        throw InvalidInputException.ofFile(file,
            "token " + ps.size() + ": expected a piece length within the file, got " + len);
      }
      byte[] b = new byte[len];
      buf.get(b);
      ps.add(b);
      ss.add(score);
    }
    if (ps.size() < 259) {
      throw InvalidInputException.ofFile(file,
          "expected at least 259 pieces (unk, bos, eos, 256 bytes), got " + ps.size());
    }
    float[] scores = new float[ss.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = ss.get(i);
    }
    byte[][] pieces = ps.toArray(new byte[0][]);
    // run.c uses byte + 3; a vocabulary written by save() from a GGUF one may place its
    // <0xXX> pieces elsewhere, so they are looked up (identical for llama2.c's own files).
    int[] byteIds = new int[256];
    for (int i = 0; i < 256; i++) {
      byteIds[i] = i + 3;
    }
    for (int i = 0; i < pieces.length; i++) {
      Integer bv = bytePiece(pieces[i]);
      if (bv != null) {
        byteIds[bv] = i;
      }
    }
    return new Llama2cTokenizer(pieces, scores, byteIds, 1, 2,
        "llama2c(" + file.getFileName() + ")");
  }

  /**
   * Writes this vocabulary in llama2.c's {@code tokenizer.bin} format (what {@link #load}
   * reads). BOS/EOS must be 1/2 as that format implies.
   */
  public void save(Path file) throws IOException {
    if (bos != 1 || eos != 2) {
      throw new IllegalStateException("llama2.c tokenizer format needs BOS=1, EOS=2; this has "
          + bos + "/" + eos);
    }
    int maxLen = 0;
    long size = 4;
    for (byte[] p : pieces) {
      maxLen = Math.max(maxLen, p.length);
      size += 8 + p.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(maxLen);
    for (int i = 0; i < pieces.length; i++) {
      buf.putFloat(scores[i]);
      buf.putInt(pieces[i].length);
      buf.put(pieces[i]);
    }
    org.genderalign.core.io.AtomicFiles.writeBytes(file, buf.array());
  }

  /**
   * A tokenizer from SentencePiece-style pieces (GGUF {@code tokenizer.ggml.tokens}):
   * {@code ▁} becomes a space, byte pieces {@code <0xXX>} are used for byte fallback.
   */
  public static Llama2cTokenizer fromSentencePiece(List<String> tokens, float[] scores, int bos,
      int eos, String description) {
    byte[][] pieces = new byte[tokens.size()][];
    int[] byteIds = new int[256];
    Arrays.fill(byteIds, -1);
    for (int i = 0; i < pieces.length; i++) {
      String t = tokens.get(i);
      Integer bv = bytePiece(t.getBytes(StandardCharsets.UTF_8));
      if (bv != null) {
        byteIds[bv] = i;
      }
      pieces[i] = t.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }
    for (int i = 0; i < 256; i++) {
      if (byteIds[i] < 0) {
        byteIds[i] = 0; // no byte piece: unknown
      }
    }
    return new Llama2cTokenizer(pieces, scores, byteIds, bos, eos, description);
  }

  private static String key(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** The id of the concatenation of tokens {@code a} and {@code b}, or -1 (buf[0]: scratch). */
  private int mergeOf(int a, int b, byte[][] buf) {
    byte[] pa = pieces[a];
    byte[] pb = pieces[b];
    int len = pa.length + pb.length;
    if (buf[0].length < len) {
      buf[0] = new byte[len * 2];
    }
    System.arraycopy(pa, 0, buf[0], 0, pa.length);
    System.arraycopy(pb, 0, buf[0], pa.length, pb.length);
    return lookup(buf[0], len);
  }

  private int lookup(byte[] b, int len) {
    Integer id = lookup.get(new String(b, 0, len, StandardCharsets.ISO_8859_1));
    return id == null ? -1 : id;
  }

  @Override
  public int bosId() {
    return bos;
  }

  @Override
  public int eosId() {
    return eos;
  }

  @Override
  public int vocabSize() {
    return pieces.length;
  }

  @Override
  public String describe() {
    return description;
  }

  /** The score of an id (merge priority). */
  public float score(int id) {
    return scores[id];
  }

  /** The raw bytes of an id's piece. */
  public byte[] piece(int id) {
    return pieces[id].clone();
  }

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] tokens = new int[bytes.length + 2];
    int n = 0;
    // run.c: add_dummy_prefix is true by default in SentencePiece; only for non-empty text.
    if (bytes.length > 0) {
      int dummy = lookup(new byte[] {' '}, 1);
      if (dummy >= 0) {
        tokens[n++] = dummy;
      }
    }
    byte[] str = new byte[8];
    int strLen = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte c = bytes[i];
      // a byte that is not a continuation byte (10xxxxxx) starts a new code point
      if ((c & 0xC0) != 0x80) {
        strLen = 0;
      }
      str[strLen++] = c;
      boolean nextIsCont = i + 1 < bytes.length && (bytes[i + 1] & 0xC0) == 0x80;
      if (nextIsCont && strLen < 4) {
        continue;
      }
      int id = lookup(str, strLen);
      if (id >= 0) {
        tokens[n++] = id;
      } else {
        for (int j = 0; j < strLen; j++) {
          tokens[n++] = byteIds[str[j] & 0xFF];
        }
      }
      strLen = 0;
    }
    // merge the best-scoring adjacent pair until none is in the vocabulary (leftmost on ties);
    // pair[i] holds the merge of tokens i and i+1 (or -1), so a step looks up only the two pairs
    // the previous merge changed instead of every pair (same result, ~n times fewer lookups)
    int[] pair = new int[Math.max(0, n - 1)];
    byte[][] buf = {new byte[64]};
    for (int i = 0; i < n - 1; i++) {
      pair[i] = mergeOf(tokens[i], tokens[i + 1], buf);
    }
    while (true) {
      float bestScore = -1e10f;
      int bestIdx = -1;
      for (int i = 0; i < n - 1; i++) {
        int id = pair[i];
        if (id != -1 && scores[id] > bestScore) {
          bestScore = scores[id];
          bestIdx = i;
        }
      }
      if (bestIdx == -1) {
        break;
      }
      tokens[bestIdx] = pair[bestIdx];
      System.arraycopy(tokens, bestIdx + 2, tokens, bestIdx + 1, n - bestIdx - 2);
      // pairs right of the merged one move one place left
      if (n - bestIdx - 3 > 0) {
        System.arraycopy(pair, bestIdx + 2, pair, bestIdx + 1, n - bestIdx - 3);
      }
      n--;
      if (bestIdx > 0) {
        pair[bestIdx - 1] = mergeOf(tokens[bestIdx - 1], tokens[bestIdx], buf);
      }
      if (bestIdx < n - 1) {
        pair[bestIdx] = mergeOf(tokens[bestIdx], tokens[bestIdx + 1], buf);
      }
    }
    return Arrays.copyOf(tokens, n);
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int prev = bos; // the start of a text behaves like "after BOS": its dummy space is dropped
    for (int id : ids) {
      if (id < 0 || id >= pieces.length) {
        throw new IllegalArgumentException("token id " + id + " outside the vocabulary");
      }
      if (id == bos || id == eos) {
        prev = id;
        continue;
      }
      out.writeBytes(pieceBytes(prev, id));
      prev = id;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The bytes run.c prints for {@code token} after {@code prev}: a leading space is dropped
   * after BOS, and {@code <0xXX>} pieces become the raw byte.
   */
  public byte[] pieceBytes(int prev, int token) {
    byte[] p = pieces[token];
    int start = 0;
    if (prev == bos && p.length > 0 && p[0] == ' ') {
      start = 1;
    }
    Integer bv = bytePiece(Arrays.copyOfRange(p, start, p.length));
    if (bv != null) {
      return new byte[] {(byte) (int) bv};
    }
    return Arrays.copyOfRange(p, start, p.length);
  }

  /** The byte value of a {@code <0xXX>} piece, or null. */
  private static Integer bytePiece(byte[] p) {
    if (p.length == 6 && p[0] == '<' && p[1] == '0' && p[2] == 'x' && p[5] == '>') {
      int hi = Character.digit(p[3], 16);
      int lo = Character.digit(p[4], 16);
      if (hi >= 0 && lo >= 0) {
        return hi * 16 + lo;
      }
    }
    return null;
  }
}
