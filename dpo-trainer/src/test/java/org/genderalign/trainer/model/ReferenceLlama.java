package org.genderalign.trainer.model;

import java.util.Map;

/**
 * A slow, obviously correct Llama forward pass in plain Java (one token at a time, as llama2.c's
 * run.c, with double accumulation): the reference the DJL model is tested against.
 */
public final class ReferenceLlama {

  private final LlamaConfig c;
  private final float[] emb;
  private final float[][] attNorm;
  private final float[][] wq;
  private final float[][] wk;
  private final float[][] wv;
  private final float[][] wo;
  private final float[][] ffnNorm;
  private final float[][] w1;
  private final float[][] w2;
  private final float[][] w3;
  private final float[] norm;
  private final float[] out;

  public ReferenceLlama(LlamaModel m) {
    this.c = m.config();
    Map<String, ai.djl.nn.Parameter> p = m.namedParameters();
    int l = c.nLayers();
    emb = get(p, "tok_embeddings.weight");
    attNorm = new float[l][];
    wq = new float[l][];
    wk = new float[l][];
    wv = new float[l][];
    wo = new float[l][];
    ffnNorm = new float[l][];
    w1 = new float[l][];
    w2 = new float[l][];
    w3 = new float[l][];
    for (int i = 0; i < l; i++) {
      String s = "layers." + i + ".";
      attNorm[i] = get(p, s + "attention_norm.weight");
      wq[i] = get(p, s + "attention.wq.weight");
      wk[i] = get(p, s + "attention.wk.weight");
      wv[i] = get(p, s + "attention.wv.weight");
      wo[i] = get(p, s + "attention.wo.weight");
      ffnNorm[i] = get(p, s + "ffn_norm.weight");
      w1[i] = get(p, s + "feed_forward.w1.weight");
      w2[i] = get(p, s + "feed_forward.w2.weight");
      w3[i] = get(p, s + "feed_forward.w3.weight");
    }
    norm = get(p, "norm.weight");
    out = c.tiedEmbeddings() ? emb : get(p, "output.weight");
  }

  private static float[] get(Map<String, ai.djl.nn.Parameter> p, String name) {
    return p.get(name).getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
        .toFloatArray();
  }

  /** Logits for every position of {@code tokens}: {@code [T][V]}. */
  public float[][] logits(int[] tokens) {
    Session s = new Session();
    float[][] result = new float[tokens.length][];
    for (int pos = 0; pos < tokens.length; pos++) {
      result[pos] = s.next(tokens[pos]);
    }
    return result;
  }

  /** A run.c-style decoding state: a key/value cache and the next position. */
  public final class Session {
    private final float[][][] kc = new float[c.nLayers()][c.maxSeqLen()][];
    private final float[][][] vc = new float[c.nLayers()][c.maxSeqLen()][];
    private int pos;

    /** Feeds one token at the next position and returns the logits there. */
    public float[] next(int token) {
      int d = c.dim();
      int hs = c.headDim();
      int kvDim = c.kvDim();
      float[] x = new float[d];
      System.arraycopy(emb, token * d, x, 0, d);
      for (int li = 0; li < c.nLayers(); li++) {
        float[] xb = rmsnorm(x, attNorm[li]);
        float[] q = matvec(wq[li], xb, d, d);
        float[] k = matvec(wk[li], xb, kvDim, d);
        float[] v = matvec(wv[li], xb, kvDim, d);
        rope(q, pos);
        rope(k, pos);
        kc[li][pos] = k;
        vc[li][pos] = v;
        float[] att = new float[d];
        for (int h = 0; h < c.nHeads(); h++) {
          int kvh = h / c.kvGroups();
          double[] scores = new double[pos + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int t = 0; t <= pos; t++) {
            double sc = 0;
            for (int i = 0; i < hs; i++) {
              sc += (double) q[h * hs + i] * kc[li][t][kvh * hs + i];
            }
            scores[t] = sc / Math.sqrt(hs);
            max = Math.max(max, scores[t]);
          }
          double sum = 0;
          for (int t = 0; t <= pos; t++) {
            scores[t] = Math.exp(scores[t] - max);
            sum += scores[t];
          }
          for (int i = 0; i < hs; i++) {
            double acc = 0;
            for (int t = 0; t <= pos; t++) {
              acc += scores[t] / sum * vc[li][t][kvh * hs + i];
            }
            att[h * hs + i] = (float) acc;
          }
        }
        float[] o = matvec(wo[li], att, d, d);
        for (int i = 0; i < d; i++) {
          x[i] += o[i];
        }
        xb = rmsnorm(x, ffnNorm[li]);
        float[] g = matvec(w1[li], xb, c.hiddenDim(), d);
        float[] u = matvec(w3[li], xb, c.hiddenDim(), d);
        for (int i = 0; i < g.length; i++) {
          double gv = g[i];
          g[i] = (float) (gv / (1 + Math.exp(-gv)) * u[i]);
        }
        float[] f = matvec(w2[li], g, d, c.hiddenDim());
        for (int i = 0; i < d; i++) {
          x[i] += f[i];
        }
      }
      pos++;
      return matvec(out, rmsnorm(x, norm), c.vocabSize(), d);
    }
  }

  /** Greedy continuation of {@code prompt} until BOS/EOS or {@code maxNew} tokens. */
  public int[] greedy(int[] prompt, int maxNew, int bos, int eos) {
    Session s = new Session();
    float[] last = null;
    for (int t : prompt) {
      last = s.next(t);
    }
    int[] out = new int[maxNew];
    int n = 0;
    while (n < maxNew && prompt.length + n < c.maxSeqLen()) {
      int best = 0;
      for (int i = 1; i < last.length; i++) {
        if (last[i] > last[best]) {
          best = i;
        }
      }
      if (best == bos || best == eos) {
        break;
      }
      out[n++] = best;
      if (n < maxNew) {
        last = s.next(best);
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private void rope(float[] v, int pos) {
    int hs = c.headDim();
    for (int h = 0; h < v.length / hs; h++) {
      for (int j = 0; j < hs / 2; j++) {
        double freq = 1.0 / Math.pow(c.ropeTheta(), (2.0 * j) / hs);
        double ang = pos * freq;
        int a = c.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j : j;
        int b = c.ropeLayout() == RopeLayout.INTERLEAVED ? 2 * j + 1 : j + hs / 2;
        double v0 = v[h * hs + a];
        double v1 = v[h * hs + b];
        v[h * hs + a] = (float) (v0 * Math.cos(ang) - v1 * Math.sin(ang));
        v[h * hs + b] = (float) (v0 * Math.sin(ang) + v1 * Math.cos(ang));
      }
    }
  }

  private float[] rmsnorm(float[] x, float[] w) {
    double ss = 0;
    for (float v : x) {
      ss += (double) v * v;
    }
    double inv = 1.0 / Math.sqrt(ss / x.length + c.normEps());
    float[] o = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      o[i] = (float) (w[i] * (x[i] * inv));
    }
    return o;
  }

  /** {@code W (rows, cols) · x}. */
  private static float[] matvec(float[] w, float[] x, int rows, int cols) {
    float[] o = new float[rows];
    for (int r = 0; r < rows; r++) {
      double acc = 0;
      int base = r * cols;
      for (int i = 0; i < cols; i++) {
        acc += (double) w[base + i] * x[i];
      }
      o[r] = (float) acc;
    }
    return o;
  }
}
