# TorchScript (the serialized-module dialect that torch.jit.load reads), not Python: the
# generation forward passes of DecodeStep.java, each one call into libtorch instead of
# ~165 DJL operations per token step (each a JNI trip with a Java object and a native free).
# Same math and layouts as LlamaModel.forward, with the weights fused and folded in Java (see
# DecodeStep's Javadoc). Packaged into an in-memory TorchScript archive by
# TorchScriptModule.java.
#
# Arguments shared by both methods:
#   weights: embedding (V, dim), rotation R (hd, hd) (rot(y) = y R), RMSNorm's mean weight
#     (dim, 1) f32 and eps (1) f32, RoPE table (positions, 2 hd) ([cos | sin]), head scale and
#     bias (2, KV, rep + 2, 1) (per head, what cos and sin are multiplied by, then added to:
#     q's scaled by 1/sqrt(hd), v's cos 1 and sin 0), final norm (dim), output head (V, dim)
#   layers: per layer, fused (4): qkv ((KV (rep + 2)) hd, dim) (rows grouped by KV head: its
#     rep query heads, its key, its value; attention_norm folded in), wo^T (dim, dim), gate|up
#     (2 hidden, dim) (ffn_norm folded in), down^T (hidden, dim); or the model's own (9), for
#     models too large to copy: wq, wk, wv, wo^T, w1, w3, down^T, attention_norm, ffn_norm.
#     wo^T and down^T are transposed views.
#   cache: per layer (B, KV, 2, hd, capacity): keys and values, stored transposed
#   visible: (B, 1, 1, capacity) f32, 0 where a row may attend, a large negative elsewhere
#   length: the columns filled before this call
# Views are taken with select/narrow, not [:, :, …]: each ':' would be one more dispatched op.
# Attention reads windows rounded up to 16 columns (never past the capacity): PyTorch's CPU
# softmax was measured up to 10x slower on rows that are not a multiple of 16 long. The
# window's unwritten columns are hidden by `visible`; their weight is exactly 0.
class DecodeStep(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.DecodeStep,
      ids: List[int],
      positions: List[int],
      weights: List[Tensor],
      layers: List[Tensor],
      cache: List[Tensor],
      visible: Tensor,
      length: int,
      kvh: int,
      rep: int,
      hd: int) -> Tensor:
    # One token per row: ids, positions (B) (host lists: one small copy here instead of two
    # tensors made through DJL) -> logits (B, V) f32; writes column `length` of every layer
    # and makes it visible.
    embedding = weights[0]
    rotation = weights[1]
    mean_weight_t = weights[2]
    eps = weights[3]
    b = len(ids)
    dim = embedding.size(1)
    width = min(visible.size(3), (length + 16) // 16 * 16)
    visible.select(3, length).fill_(0.0)
    # (B KV, 1, width): one row per (row, KV head), as the batched products below are
    mask = visible.narrow(3, 0, width).expand(b, kvh, 1, width).reshape(b * kvh, 1, width)
    single = mask.dtype == embedding.dtype # f32 activations: the mask joins the scores' GEMM
    x = torch.embedding(embedding, torch.tensor(ids, device=embedding.device))
    at = torch.tensor(positions, device=embedding.device)
    cs = torch.embedding(weights[4], at).view(b, 2, 1, 1, hd) * weights[5] + weights[6]
    cos = cs.select(1, 0) # (B, KV, rep + 2, hd)
    sin = cs.select(1, 1)
    per = len(layers) // len(cache)
    for i in range(len(cache)):
      kv = cache[i]
      y = self.qkv(x, layers, per * i, per, mean_weight_t, eps, kvh, rep, hd)
      y = y * cos + torch.mm(y.view(-1, hd), rotation).view(b, kvh, rep + 2, hd) * sin
      kv.select(4, length).copy_(y.narrow(2, rep, 2))
      # per (row, KV head): its rep query heads against its keys and values (views, no copy)
      q = y.narrow(2, 0, rep).reshape(b * kvh, rep, hd)
      keys_t = kv.select(2, 0).narrow(3, 0, width).reshape(b * kvh, hd, width)
      values = kv.select(2, 1).narrow(3, 0, width).transpose(2, 3).reshape(b * kvh, width, hd)
      if single:
        p = torch.softmax(torch.baddbmm(mask, q, keys_t), -1)
      else:
        p = torch.softmax(torch.bmm(q, keys_t).float() + mask, -1).to(y.dtype)
      x = torch.addmm(x, torch.bmm(p, values).view(b, dim), layers[per * i + (1 if per == 4 else 3)])
      x = self.feed_forward(x, layers, per * i, per, mean_weight_t, eps)
    return self.head(x, weights)
  def greedy(self: __torch__.DecodeStep,
      ids: List[int],
      positions: List[int],
      weights: List[Tensor],
      layers: List[Tensor],
      cache: List[Tensor],
      visible: Tensor,
      length: int,
      kvh: int,
      rep: int,
      hd: int) -> List[int]:
    # forward, then each row's argmax (first maximum on ties), returned as a host list
    logits = self.forward(ids, positions, weights, layers, cache, visible, length, kvh, rep, hd)
    chosen: List[int] = torch.argmax(logits, 1).tolist()
    return chosen
  def prefill(self: __torch__.DecodeStep,
      ids: Tensor,
      positions: Tensor,
      keep: Tensor,
      weights: List[Tensor],
      layers: List[Tensor],
      cache: List[Tensor],
      visible: Tensor,
      length: int,
      kvh: int,
      rep: int,
      hd: int,
      block: int) -> Tensor:
    # A block of T tokens per row (a left-padded prompt): ids, positions (B, T) int64, keep
    # (B, T) bool (false: padding) -> logits of the last position (B, V) f32. Writes columns
    # [length, length + T) and makes the real ones visible; query i sees column c when c is
    # visible and c <= length + i. Queries go `block` at a time (the caller bounds the scores'
    # memory, as LlamaModel's attention does).
    embedding = weights[0]
    rotation = weights[1]
    mean_weight_t = weights[2]
    eps = weights[3]
    b = ids.size(0)
    t = ids.size(1)
    dim = embedding.size(1)
    end = length + t
    width = min(visible.size(3), (end + 15) // 16 * 16)
    new_cols = visible.narrow(3, length, t)
    new_cols.copy_(torch.where(keep.view(b, 1, 1, t), torch.zeros_like(new_cols), new_cols))
    columns = torch.arange(width, device=ids.device).view(1, width)
    queries = torch.arange(length, end, device=ids.device).view(t, 1)
    causal = torch.where(columns <= queries, 0.0, -1e9).to(visible.dtype) # (T, width)
    mask = visible.narrow(3, 0, width) + causal # (B, 1, T, width)
    x = torch.embedding(embedding, ids).view(b * t, dim)
    cs = torch.embedding(weights[4], positions).view(b, t, 2, 1, 1, hd) * weights[5] + weights[6]
    cos = cs.select(2, 0) # (B, T, KV, rep + 2, hd)
    sin = cs.select(2, 1)
    per = len(layers) // len(cache)
    for i in range(len(cache)):
      kv = cache[i]
      y = self.qkv(x, layers, per * i, per, mean_weight_t, eps, kvh, rep, hd)
      y = y.view(b, t, kvh, rep + 2, hd)
      y = y * cos + torch.mm(y.view(-1, hd), rotation).view(b, t, kvh, rep + 2, hd) * sin
      kv.narrow(4, length, t).copy_(y.narrow(3, rep, 2).permute(0, 2, 3, 4, 1))
      keys_t = kv.select(2, 0).narrow(3, 0, width) # (B, KV, hd, width)
      values = kv.select(2, 1).narrow(3, 0, width).transpose(2, 3) # (B, KV, width, hd)
      q = y.narrow(3, 0, rep).permute(0, 2, 3, 1, 4) # (B, KV, rep, T, hd)
      outs: List[Tensor] = []
      for t0 in range(0, t, block):
        tq = min(block, t - t0)
        qb = q.narrow(3, t0, tq).reshape(b, kvh, rep * tq, hd)
        scores = torch.matmul(qb, keys_t).view(b, kvh, rep, tq, width).float()
        p = torch.softmax(scores + mask.narrow(2, t0, tq).view(b, 1, 1, tq, width), -1)
        o = torch.matmul(p.to(y.dtype).view(b, kvh, rep * tq, width), values)
        outs.append(o.view(b, kvh, rep, tq, hd))
      o = torch.cat(outs, 3).permute(0, 3, 1, 2, 4).reshape(b * t, dim) # (B T, dim)
      x = torch.addmm(x, o, layers[per * i + (1 if per == 4 else 3)])
      x = self.feed_forward(x, layers, per * i, per, mean_weight_t, eps)
    x = x.view(b, t, dim).select(1, t - 1)
    return self.head(x, weights)
  def qkv(self: __torch__.DecodeStep, x: Tensor, layers: List[Tensor], k: int, per: int,
      mean_weight_t: Tensor, eps: Tensor, kvh: int, rep: int, hd: int) -> Tensor:
    # RMSNorm(x) through q, k and v, grouped per KV head: (N, KV, rep + 2, hd)
    n = x.size(0)
    xf = x.float() # RMSNorm's divisor sqrt(mean(x^2) + eps) per row, in f32
    r = torch.sqrt(torch.addmm(eps, xf * xf, mean_weight_t)).to(x.dtype)
    if per == 4: # fused: one GEMM, the norm weight folded into its columns
      return (torch.mm(x, layers[k].t()) / r).view(n, kvh, rep + 2, hd)
    xn = x * layers[k + 7] / r
    q = torch.mm(xn, layers[k].t()).view(n, kvh, rep, hd)
    keys = torch.mm(xn, layers[k + 1].t()).view(n, kvh, 1, hd)
    values = torch.mm(xn, layers[k + 2].t()).view(n, kvh, 1, hd)
    return torch.cat([q, keys, values], 2)
  def feed_forward(self: __torch__.DecodeStep, x: Tensor, layers: List[Tensor], k: int,
      per: int, mean_weight_t: Tensor, eps: Tensor) -> Tensor:
    # x + SwiGLU(RMSNorm(x)), the residual added by the last GEMM; layers[k:k + per] is this
    # layer's: fused [qkv, wo^T, gate|up, down^T] or plain [wq, wk, wv, wo^T, w1, w3, down^T,
    # attention_norm, ffn_norm]
    xf = x.float() # RMSNorm's divisor sqrt(mean(x^2) + eps) per row, in f32
    r = torch.sqrt(torch.addmm(eps, xf * xf, mean_weight_t)).to(x.dtype)
    if per == 4: # fused: one GEMM for gate and up, the norm weight folded into its columns
      gate_up = torch.mm(x, layers[k + 2].t()) / r
      hidden = gate_up.size(1) // 2
      act = torch.silu(gate_up.narrow(1, 0, hidden)) * gate_up.narrow(1, hidden, hidden)
      return torch.addmm(x, act, layers[k + 3])
    xn = x * layers[k + 8] / r
    act = torch.silu(torch.mm(xn, layers[k + 4].t())) * torch.mm(xn, layers[k + 5].t())
    return torch.addmm(x, act, layers[k + 6])
  def head(self: __torch__.DecodeStep, x: Tensor, weights: List[Tensor]) -> Tensor:
    # the final RMSNorm and the output head: logits (B, V) f32
    xf = x.float()
    r = torch.sqrt(torch.addmm(weights[3], xf * xf, weights[2])).to(x.dtype)
    return (torch.mm(x * weights[7], weights[8].t()) / r).float()
