package org.genderalign.trainer.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a packed scoring batch: a context followed by a token tree (trie) of the
 * continuations scored after it, so that the context and every common prefix of continuations
 * are computed once.
 *
 * <p>Node {@code i < contextLength} is context token {@code i}; every later node is a continuation
 * token whose parent is the node before it in its continuation (the last context token for a
 * first token). Parents always come before children, so the row is causal. A node's RoPE position
 * is its depth (its position in the unpacked sequence) and it may attend to the context up to
 * itself and to its own ancestors — exactly what it would see in its own unpacked sequence, so
 * packing changes no number beyond float rounding. The token at node {@code n} is predicted by the
 * output distribution at {@code parent[n]}.
 */
final class PackedRow {

  private final int contextLength;
  private int size;
  private int[] tokens;
  private int[] parents;
  private int[] depths;
  private final Map<Long, Integer> children = new HashMap<>();
  private boolean chain = true;
  private final List<Integer> requests = new ArrayList<>();
  private final List<int[]> paths = new ArrayList<>();

  /** A row holding {@code context} alone (at least one token). */
  PackedRow(int[] context) {
    this.contextLength = context.length;
    int cap = Math.max(16, context.length * 2);
    tokens = new int[cap];
    parents = new int[cap];
    depths = new int[cap];
    for (int i = 0; i < context.length; i++) {
      tokens[i] = context[i];
      parents[i] = i - 1;
      depths[i] = i;
    }
    size = context.length;
  }

  /** Nodes in the row (its length once packed). */
  int size() {
    return size;
  }

  int contextLength() {
    return contextLength;
  }

  /**
   * Whether every node follows the one before it (one continuation, or continuations that are
   * prefixes of one another): then the row is an ordinary sequence, and the plain causal mask and
   * positions {@code 0..size-1} are exactly its mask and positions.
   */
  boolean isChain() {
    return chain;
  }

  /** Nodes {@code continuation} would add (those not shared with continuations already here). */
  int newNodes(int[] continuation) {
    int node = contextLength - 1;
    for (int j = 0; j < continuation.length; j++) {
      Integer child = children.get(edgeKey(node, continuation[j]));
      if (child == null) {
        return continuation.length - j;
      }
      node = child;
    }
    return 0;
  }

  /** Adds request {@code index} with its continuation (non-empty), reusing shared prefix nodes. */
  void add(int index, int[] continuation) {
    int node = contextLength - 1;
    int[] path = new int[continuation.length];
    for (int j = 0; j < continuation.length; j++) {
      long key = edgeKey(node, continuation[j]);
      Integer child = children.get(key);
      if (child == null) {
        child = append(continuation[j], node);
        children.put(key, child);
      }
      node = child;
      path[j] = node;
    }
    requests.add(index);
    paths.add(path);
  }

  private int append(int token, int parent) {
    if (size == tokens.length) {
      int cap = tokens.length * 2;
      tokens = Arrays.copyOf(tokens, cap);
      parents = Arrays.copyOf(parents, cap);
      depths = Arrays.copyOf(depths, cap);
    }
    chain &= parent == size - 1;
    tokens[size] = token;
    parents[size] = parent;
    depths[size] = depths[parent] + 1;
    return size++;
  }

  private static long edgeKey(int node, int token) {
    return ((long) node << 32) | (token & 0xffffffffL);
  }

  int token(int node) {
    return tokens[node];
  }

  int parent(int node) {
    return parents[node];
  }

  int depth(int node) {
    return depths[node];
  }

  /** The requests packed here, in the order added. */
  List<Integer> requests() {
    return requests;
  }

  /** For the {@code k}-th request added: the node of each of its continuation tokens. */
  int[] path(int k) {
    return paths.get(k);
  }

  /**
   * Fills this row's slice of a {@code (T, T)} visibility mask (row-major, {@code t} wide): a
   * context node sees the context up to itself; a continuation node sees the whole context and
   * its own ancestors; padding (nodes {@code size..t-1}) sees itself only.
   */
  void fillMask(boolean[] mask, int offset, int t) {
    for (int q = 0; q < t; q++) {
      int row = offset + q * t;
      if (q >= size) {
        mask[row + q] = true;
      } else if (q < contextLength) {
        Arrays.fill(mask, row, row + q + 1, true);
      } else {
        Arrays.fill(mask, row, row + contextLength, true);
        for (int a = q; a >= contextLength; a = parents[a]) {
          mask[row + a] = true;
        }
      }
    }
  }
}
