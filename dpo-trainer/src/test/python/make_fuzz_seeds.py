#!/usr/bin/env python3
"""Writes the seed corpora of the dpo-trainer fuzz targets (LoaderFuzzer, TokenizerFuzzer,
CheckpointFuzzer): small, synthetic, valid files of each format plus a few broken ones.

A tiny Llama config (dim 8, hidden 16, 1 layer, 2 heads, 1 KV head, vocab 16, 4 positions)
keeps every model file under 4 KB, the size libFuzzer mutates by default.

Run from the repository root:  /usr/bin/python3 dpo-trainer/src/test/python/make_fuzz_seeds.py
"""
import hashlib
import json
import os
import struct

RES = "dpo-trainer/src/test/resources/org/genderalign/trainer"
D, HID, L, H, KV_H, V, SEQ = 8, 16, 1, 2, 1, 16, 4
HS = D // H
KV = KV_H * HS


def out(rel, data):
    path = os.path.join(RES, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def floats(n, start=0):
    return struct.pack("<%df" % n, *[((i + start) % 7 - 3) / 10 for i in range(n)])


def shapes(tied=True):
    """llama2.c names and shapes, in model order (LlamaModel.expectedShapes)."""
    s = [("tok_embeddings.weight", (V, D))]
    for i in range(L):
        p = "layers.%d." % i
        s += [(p + "attention_norm.weight", (D,)), (p + "attention.wq.weight", (D, D)),
              (p + "attention.wk.weight", (KV, D)), (p + "attention.wv.weight", (KV, D)),
              (p + "attention.wo.weight", (D, D)), (p + "ffn_norm.weight", (D,)),
              (p + "feed_forward.w1.weight", (HID, D)), (p + "feed_forward.w2.weight", (D, HID)),
              (p + "feed_forward.w3.weight", (HID, D))]
    s.append(("norm.weight", (D,)))
    if not tied:
        s.append(("output.weight", (V, D)))
    return s


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


# --- llama2.c checkpoint (run.c order) ---
def llama2c(tied):
    header = struct.pack("<7i", D, HID, L, H, KV_H, V if tied else -V, SEQ)
    s = dict(shapes(tied))
    body = floats(V * D)
    for name in ["attention_norm", "attention.wq", "attention.wk", "attention.wv", "attention.wo",
                 "ffn_norm", "feed_forward.w1", "feed_forward.w2", "feed_forward.w3"]:
        for i in range(L):
            body += floats(size(s["layers.%d.%s.weight" % (i, name)]))
    body += floats(D) + floats(SEQ * HS)  # final norm, the two RoPE tables
    if not tied:
        body += floats(V * D)
    return header + body


out("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-tied.bin", llama2c(True))
out("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-untied.bin", llama2c(False))
out("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-billion-layers.bin",
    struct.pack("<7i", D, HID, 10**9, H, KV_H, V, SEQ) + floats(16))
out("loader/LoaderFuzzerInputs/llama2cCheckpoint/seed-huge-dims.bin",
    struct.pack("<7i", 2**30, 2**30, 1000, 2, 1, -2**30, 2**30))


# --- safetensors ---
def safetensors(tensors, metadata=None, dtype="F32"):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, shape in tensors:
        n = size(shape) * (4 if dtype == "F32" else 2)
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + n]}
        data += (floats(size(shape)) if dtype == "F32" else b"\x80\x3f" * size(shape))
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data


out("loader/LoaderFuzzerInputs/safetensors/seed-model.safetensors",
    safetensors(shapes(True), {"format": "genderalign-llama"}))
out("loader/LoaderFuzzerInputs/safetensors/seed-bf16.safetensors",
    safetensors([("a", (2, 3)), ("b", (0,)), ("c", ())], dtype="BF16"))
out("loader/LoaderFuzzerInputs/safetensors/seed-2pow40-header.safetensors",
    struct.pack("<Q", 2**40) + b'{"a":{}}')
out("loader/LoaderFuzzerFolder/model.safetensors", safetensors(shapes(True), {"format": "genderalign-llama"}))
config = {"dim": D, "hiddenDim": HID, "nLayers": L, "nHeads": H, "nKvHeads": KV_H, "vocabSize": V,
          "maxSeqLen": SEQ, "ropeTheta": 10000.0, "normEps": 1e-5, "tiedEmbeddings": True,
          "ropeLayout": "INTERLEAVED", "format": "genderalign-llama"}
out("loader/LoaderFuzzerFolder/config.json", json.dumps(config, indent=2))
out("loader/LoaderFuzzerInputs/checkpointConfig/seed-config.json", json.dumps(config, indent=2))
out("loader/LoaderFuzzerInputs/checkpointConfig/seed-billion-layers.json",
    json.dumps(dict(config, nLayers=10**9)))
ref = {"type": "llama2c", "file": "tokenizer.bin", "bos": 1, "eos": 2, "source": "llama2c(tok16.bin)"}
out("loader/LoaderFuzzerFolder/tokenizer-ref.json", json.dumps(ref, indent=2))
out("loader/LoaderFuzzerInputs/checkpointTokenizerRef/seed-ref.json", json.dumps(ref, indent=2))
out("loader/LoaderFuzzerInputs/checkpointTokenizerRef/seed-traversal.json",
    json.dumps(dict(ref, type="huggingface", file="../../etc/passwd")))


# --- GGUF v3 ---
def gstr(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def kv(key, typ, payload):
    return gstr(key) + struct.pack("<I", typ) + payload


def gguf(n_tensors_override=None):
    tokens = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % i for i in range(4)] + list("\u2581abcdefgh")
    tokens = tokens[:V]
    kvs = [
        kv("general.architecture", 8, gstr("llama")),
        kv("general.alignment", 4, struct.pack("<I", 32)),
        kv("llama.embedding_length", 4, struct.pack("<I", D)),
        kv("llama.feed_forward_length", 4, struct.pack("<I", HID)),
        kv("llama.block_count", 4, struct.pack("<I", L)),
        kv("llama.attention.head_count", 4, struct.pack("<I", H)),
        kv("llama.attention.head_count_kv", 4, struct.pack("<I", KV_H)),
        kv("llama.context_length", 4, struct.pack("<I", SEQ)),
        kv("llama.rope.freq_base", 6, struct.pack("<f", 10000.0)),
        kv("llama.attention.layer_norm_rms_epsilon", 6, struct.pack("<f", 1e-5)),
        kv("tokenizer.ggml.model", 8, gstr("llama")),
        kv("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, len(tokens)) + b"".join(gstr(t) for t in tokens)),
        kv("tokenizer.ggml.scores", 9, struct.pack("<IQ", 6, len(tokens))
           + b"".join(struct.pack("<f", -i) for i in range(len(tokens)))),
        kv("tokenizer.ggml.bos_token_id", 4, struct.pack("<I", 1)),
        kv("tokenizer.ggml.eos_token_id", 4, struct.pack("<I", 2)),
    ]
    names = {"tok_embeddings.weight": "token_embd.weight", "norm.weight": "output_norm.weight"}
    per = {"attention_norm": "attn_norm", "attention.wq": "attn_q", "attention.wk": "attn_k",
           "attention.wv": "attn_v", "attention.wo": "attn_output", "ffn_norm": "ffn_norm",
           "feed_forward.w1": "ffn_gate", "feed_forward.w2": "ffn_down", "feed_forward.w3": "ffn_up"}
    infos, data = b"", b""
    ts = shapes(True)
    for name, shape in ts:
        if name in names:
            g = names[name]
        else:
            _, i, rest = name.split(".", 2)
            g = "blk.%s.%s.weight" % (i, per[rest[:-len(".weight")]])
        dims = list(reversed(shape))
        infos += gstr(g) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        infos += struct.pack("<IQ", 0, len(data))
        data += floats(size(shape))
        data += b"\0" * ((32 - len(data) % 32) % 32)
    n_t = len(ts) if n_tensors_override is None else n_tensors_override
    head = b"GGUF" + struct.pack("<IQQ", 3, n_t, len(kvs)) + b"".join(kvs) + infos
    head += b"\0" * ((32 - len(head) % 32) % 32)
    return head + data


out("loader/LoaderFuzzerInputs/gguf/seed-tiny.gguf", gguf())
out("loader/LoaderFuzzerInputs/gguf/seed-2pow60-tensors.gguf", gguf(2**60))


# --- llama2.c tokenizer.bin ---
def tokenizer_bin():
    pieces = [(0.0, b"<unk>"), (0.0, b"\n<s>\n"), (0.0, b"\n</s>\n")]
    pieces += [(0.0, ("<0x%02X>" % i).encode()) for i in range(256)]
    merges = [b" ", b"a", b"b", b"e", b" a", b"ab", b"be", b" ab", "é".encode(), b"\xf0\x9f"]
    pieces += [(-float(i), m) for i, m in enumerate(merges)]
    body = struct.pack("<i", max(len(p) for _, p in pieces))
    for s, p in pieces:
        body += struct.pack("<fi", s, len(p)) + p
    return body


out("tokenizer/TokenizerFuzzerInputs/llama2cTokenizer/seed-tok.bin", tokenizer_bin())
out("tokenizer/TokenizerFuzzerInputs/llama2cTokenizer/seed-huge-length.bin",
    struct.pack("<i", 2**31 - 1) + struct.pack("<fi", 0.0, 2**31 - 1) + b"x")

# --- tokenizer.json ---
bpe = {"version": "1.0", "added_tokens": [{"id": 0, "content": "<s>", "special": True},
                                          {"id": 1, "content": "</s>", "special": True}],
       "model": {"type": "BPE", "vocab": {"<s>": 0, "</s>": 1, "a": 2, "b": 3, "ab": 4}, "merges": ["a b"]}}
out("tokenizer/TokenizerFuzzerInputs/tokenizerJson/seed-bpe.json", json.dumps(bpe))
uni = {"model": {"type": "Unigram", "vocab": [["<unk>", 0.0], ["<s>", -1.0], ["</s>", -1.0], ["a", -2.0]]}}
out("tokenizer/TokenizerFuzzerInputs/tokenizerJson/seed-unigram.json", json.dumps(uni))
out("tokenizer/TokenizerFuzzerInputs/tokenizerJson/seed-huge-id.json",
    json.dumps({"model": {"vocab": {"a": 2147483647}}, "added_tokens": [{"id": -5, "content": 3}]}))


# --- checkpoint: GATF1 tensor file, manifest, trainer state ---
def utf(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def tensor_file(tensors):
    body = utf("GATF1") + struct.pack(">i", len(tensors))
    for name, dtype, shape, raw in tensors:
        body += utf(name) + utf(dtype) + struct.pack(">i", len(shape))
        body += b"".join(struct.pack(">q", d) for d in shape) + struct.pack(">q", len(raw)) + raw
    return body


out("checkpoint/CheckpointFuzzerInputs/tensorFile/seed.tensors", tensor_file([
    ("layers.0.attention.wq.lora_a", "FLOAT32", [2, 3], floats(6)),
    ("scalar", "INT64", [], struct.pack("<q", 7)),
    ("half", "FLOAT16", [4], b"\0\x3c" * 4)]))
out("checkpoint/CheckpointFuzzerInputs/tensorFile/seed-huge.tensors", tensor_file([])[:-4]
    + struct.pack(">i", 1) + utf("x") + utf("FLOAT32") + struct.pack(">i", 2)
    + struct.pack(">qq", 2**40, 2**40) + struct.pack(">q", 2**62))
sha = lambda b: hashlib.sha256(b).hexdigest()
manifest = {"manifest": 1, "files": {"a.tensors": {"bytes": 3, "sha256": sha(b"abc")},
                                     "sub/b.txt": {"bytes": 0, "sha256": sha(b"")}}}
out("checkpoint/CheckpointFuzzerInputs/manifest/seed-manifest.json", json.dumps(manifest, indent=2))
out("checkpoint/CheckpointFuzzerInputs/manifest/seed-escape.json",
    json.dumps({"manifest": 1, "files": {"../x": {"bytes": -1, "sha256": "zz"}}}))
state = {"state": {"step": 2, "epoch": 0, "position": 4, "examplesSeen": 4, "tokens": 100,
                   "elapsedSeconds": 1.5, "determinismKey": "seed=42", "dataHash": sha(b"data")},
         "optimizerStep": 2}
out("checkpoint/CheckpointFuzzerInputs/trainerState/seed-state.json", json.dumps(state, indent=2))
