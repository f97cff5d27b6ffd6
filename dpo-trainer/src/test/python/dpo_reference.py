#!/usr/bin/env python3
"""PyTorch reference for DpoPyTorchGoldenTest: five full-batch DPO steps on stories260K.

Same model (llama2.c stories260K.bin, float32), same data (token ids below), same loss (sigmoid
DPO, beta 0.1, reference = frozen copy), same optimizer (torch.optim.AdamW lr 1e-3, betas
(0.9, 0.999), eps 1e-8, weight decay 0.01, clip_grad_norm_ 1.0, constant LR) as the Java test.
Writes the per-step losses as JSON.

  python3 dpo_reference.py /work/shared/models/stories260K/stories260K.bin > pytorch-golden.json
Produced with Debian's python3-torch 1.13.1, 2 threads.
"""
import json
import struct
import sys

import torch
import torch.nn.functional as F

# (prompt, chosen, rejected) token ids; BOS = 1, EOS = 2 — copied in DpoPyTorchGoldenTest.
PAIRS = [
    ([1, 400, 261, 300], [270, 280, 290, 2], [310, 320, 2]),
    ([1, 350, 351], [352, 353, 354, 355, 2], [356, 357, 358, 2]),
    ([1, 260, 261, 262, 263], [264, 265, 2], [266, 2]),
    ([1, 500, 501], [502, 503, 504, 2], [505, 506, 507, 508, 509, 2]),
]
BETA, LR, WD, STEPS, MAX_NORM = 0.1, 1e-3, 0.01, 5, 1.0


def load(path):
    with open(path, "rb") as f:
        dim, hidden, layers, heads, kv_heads, vocab, seq = struct.unpack("7i", f.read(28))
        shared = vocab > 0
        vocab = abs(vocab)
        data = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    hd = dim // heads
    shapes = [("tok", (vocab, dim)), ("rms_att", (layers, dim)), ("wq", (layers, dim, dim)),
              ("wk", (layers, kv_heads * hd, dim)), ("wv", (layers, kv_heads * hd, dim)),
              ("wo", (layers, dim, dim)), ("rms_ffn", (layers, dim)), ("w1", (layers, hidden, dim)),
              ("w2", (layers, dim, hidden)), ("w3", (layers, hidden, dim)), ("rms_final", (dim,)),
              ("fcr", (seq, hd // 2)), ("fci", (seq, hd // 2))]
    w, off = {}, 0
    for name, shape in shapes:
        n = 1
        for s in shape:
            n *= s
        w[name] = data[off:off + n].view(*shape).clone()
        off += n
    assert shared
    cfg = dict(dim=dim, hidden=hidden, layers=layers, heads=heads, kv_heads=kv_heads, vocab=vocab)
    params = {k: torch.nn.Parameter(v) for k, v in w.items() if k not in ("fcr", "fci")}
    return cfg, params


def rms(x, g):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * g


def rope(x, cos, sin):  # interleaved pairs (llama2.c)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1).flatten(-2)


def forward(cfg, p, ids):
    return hidden(cfg, p, ids) @ p["tok"].T


def hidden(cfg, p, ids):
    """The final hidden states (after the last RMSNorm), before the tied LM head."""
    b, t = ids.shape
    d, h, kvh = cfg["dim"], cfg["heads"], cfg["kv_heads"]
    hd = d // h
    inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
    ang = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    cos, sin = ang.cos()[None, :, None, :], ang.sin()[None, :, None, :]
    mask = torch.full((t, t), float("-inf")).triu(1)
    x = p["tok"][ids]
    for l in range(cfg["layers"]):
        a = rms(x, p["rms_att"][l])
        q = (a @ p["wq"][l].T).view(b, t, h, hd)
        k = (a @ p["wk"][l].T).view(b, t, kvh, hd)
        v = (a @ p["wv"][l].T).view(b, t, kvh, hd)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        k = k.repeat_interleave(h // kvh, dim=2)
        v = v.repeat_interleave(h // kvh, dim=2)
        s = (q.transpose(1, 2) @ k.transpose(1, 2).transpose(-1, -2)) / hd ** 0.5 + mask
        o = (F.softmax(s, -1) @ v.transpose(1, 2)).transpose(1, 2).reshape(b, t, d)
        x = x + o @ p["wo"][l].T
        f = rms(x, p["rms_ffn"][l])
        x = x + (F.silu(f @ p["w1"][l].T) * (f @ p["w3"][l].T)) @ p["w2"][l].T
    return rms(x, p["rms_final"])


def batch():
    rows = [(pr, c) for pr, c, _ in PAIRS] + [(pr, r) for pr, _, r in PAIRS]
    t = max(len(a) + len(b) for a, b in rows)
    ids = torch.full((len(rows), t), 2, dtype=torch.long)
    mask = torch.zeros(len(rows), t)
    for i, (a, b) in enumerate(rows):
        ids[i, :len(a) + len(b)] = torch.tensor(a + b)
        mask[i, len(a):len(a) + len(b)] = 1
    return ids, mask


def logps(cfg, p, ids, mask):
    lg = forward(cfg, p, ids)[:, :-1].log_softmax(-1)
    return (lg.gather(-1, ids[:, 1:, None]).squeeze(-1) * mask[:, 1:]).sum(-1)


def main():
    torch.set_num_threads(2)
    cfg, policy = load(sys.argv[1])
    _, ref = load(sys.argv[1])
    ids, mask = batch()
    n = len(PAIRS)
    with torch.no_grad():
        rl = logps(cfg, ref, ids, mask)
    opt = torch.optim.AdamW(policy.values(), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WD)
    losses = []
    for _ in range(STEPS):
        pl = logps(cfg, policy, ids, mask)
        z = (pl[:n] - rl[:n]) - (pl[n:] - rl[n:])
        loss = F.softplus(-BETA * z).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.values(), MAX_NORM)
        opt.step()
        losses.append(loss.item())
    json.dump({"torch": torch.__version__, "beta": BETA, "lr": LR, "weight_decay": WD, "max_grad_norm": MAX_NORM,
               "losses": losses}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
